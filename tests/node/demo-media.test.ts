// The demo data a newcomer meets in WeChat DevTools: every seeded video lesson is a real, tiny MP4 that plays
// (H.264 in an ISO BMFF file whose `ftyp` box comes first and whose `moov` index precedes the media data).
import { describe, expect, it } from "vitest";
import { demoCover, demoMedia } from "../../scripts/seed-media.mjs";

/** The top-level boxes of an ISO BMFF (MP4) file: [type, size] in file order. */
function topLevelBoxes(file: Buffer): [string, number][] {
  const boxes: [string, number][] = [];
  for (let at = 0; at + 8 <= file.length; ) {
    const size = file.readUInt32BE(at);
    const type = file.toString("latin1", at + 4, at + 8);
    if (size < 8 || at + size > file.length) throw new Error(`box ${type} at ${at} has a bad size ${size}`);
    boxes.push([type, size]);
    at += size;
  }
  return boxes;
}

describe("demo lesson media", () => {
  const videos = demoMedia().filter((m) => m.contentType === "video/mp4");

  it("seeds at least one video lesson", () => {
    expect(videos.length).toBeGreaterThan(0);
  });

  it("gives every video lesson a small MP4 that begins with a valid ftyp box", () => {
    for (const video of videos) {
      const body = Buffer.from(video.body);
      expect(body.length, video.key).toBeLessThan(200 * 1024);
      expect(body.toString("latin1", 4, 8), video.key).toBe("ftyp");
      const ftypSize = body.readUInt32BE(0);
      expect(ftypSize).toBeGreaterThanOrEqual(16);
      expect(["isom", "mp42", "mp41", "avc1"]).toContain(body.toString("latin1", 8, 12));
    }
  });

  it("is a whole file that streams: moov before mdat, H.264 inside", () => {
    const body = Buffer.from(videos[0].body);
    const types = topLevelBoxes(body).map(([type]) => type);
    expect(types[0]).toBe("ftyp");
    expect(types).toContain("moov");
    expect(types).toContain("mdat");
    expect(types.indexOf("moov")).toBeLessThan(types.indexOf("mdat"));
    expect(body.includes(Buffer.from("avc1"))).toBe(true);
  });
});

describe("demo course cover", () => {
  it("is a small PNG stored under its own SHA-256, the path the courses' coverUrl names", async () => {
    const { createHash } = await import("node:crypto");
    const cover = demoCover();
    const body = Buffer.from(cover.body);
    expect([...body.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(body.length).toBeLessThan(2 * 1024 * 1024);
    const hash = createHash("sha256").update(body).digest("hex");
    expect(cover).toMatchObject({ key: `covers/${hash}.png`, coverUrl: `/media/covers/${hash}.png`, contentType: "image/png" });
  });
});
