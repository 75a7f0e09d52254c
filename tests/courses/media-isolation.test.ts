import { describe, expect, it } from "vitest";
import { call, mintMember } from "../support/api";
import { seedCourse, storeMedia } from "./support";

/** A trial lesson of the given kind holding `body` as `contentType`, and the signed link a member gets for it. */
async function signedLink(kind: "video" | "audio" | "article", body: string, contentType: string) {
  const { lessonIds } = await seedCourse({ lessons: [{ kind, isTrial: true }] });
  await storeMedia(lessonIds[0], body, contentType);
  const member = await mintMember();
  const res = await call(`/api/lessons/${lessonIds[0]}/media`, { token: member.token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { url: string }).url;
}

const ARTICLE = `<h1>第一课</h1><script>fetch("/admin")</script>`;

// Media is served from the API's own origin, which is also the console's: a script in an uploaded
// article would run with the console's cookies. So nothing behind a signed link may execute here.
describe("lesson media never runs on this origin", () => {
  it("serves an HTML article as a sandboxed, unsniffable attachment", async () => {
    const res = await call(await signedLink("article", ARTICLE, "text/html"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment/);
    // The mini-program reads the body with wx.request, so it still gets the article itself.
    expect(await res.text()).toBe(ARTICLE);
  });

  it("sandboxes Markdown and plain-text articles too, shown inline", async () => {
    for (const type of ["text/markdown", "text/plain"]) {
      const res = await call(await signedLink("article", ARTICLE, type));
      expect(res.headers.get("content-security-policy")).toBe("sandbox; default-src 'none'");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("content-disposition")).toBeNull();
      await res.arrayBuffer();
    }
  });

  it("sandboxes video and audio without blocking playback, for whole objects and ranges", async () => {
    const video = await signedLink("video", "mp4-bytes", "video/mp4");
    const audio = await signedLink("audio", "mp3-bytes", "audio/mpeg");
    for (const [url, range] of [[video, undefined], [video, "bytes=0-3"], [audio, undefined], [video, "bytes=100-"]] as const) {
      const res = await call(url, { headers: range ? { range } : {} });
      expect([200, 206, 416]).toContain(res.status);
      expect(res.headers.get("content-security-policy")).toBe("sandbox");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      await res.arrayBuffer();
    }
  });
});
