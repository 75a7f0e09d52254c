import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { adminToken, seedCourse } from "./support";
import { call, mintMember } from "../support/api";

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => i % 251);
const lessonRow = (id: string) =>
  env.DB.prepare("select media_key, media_content_type, media_bytes from lessons where id = ?").bind(id).first<{ media_key: string | null; media_content_type: string | null; media_bytes: number | null }>();

describe("uploading lesson media to R2", () => {
  it("stores the raw body and streams it back through a signed link", async () => {
    const token = await adminToken();
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true }] });
    const video = bytes(5000);
    const res = await call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token, body: video, headers: { "content-type": "video/mp4" } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ mediaContentType: "video/mp4", mediaBytes: 5000, mediaKey: expect.stringContaining(lessonIds[0]) });

    const member = await mintMember();
    const link = (await (await call(`/api/lessons/${lessonIds[0]}/media`, { token: member.token })).json()) as { url: string; contentType: string; bytes: number };
    expect(link).toMatchObject({ contentType: "video/mp4", bytes: 5000 });
    const streamed = await call(link.url);
    expect(streamed.status).toBe(200);
    expect(streamed.headers.get("content-type")).toBe("video/mp4");
    expect(streamed.headers.get("accept-ranges")).toBe("bytes");
    expect(new Uint8Array(await streamed.arrayBuffer())).toEqual(video);
  });

  it("serves byte ranges the way video players ask for them", async () => {
    const token = await adminToken();
    const { lessonIds } = await seedCourse({ lessons: [{ isTrial: true, kind: "audio" }] });
    const audio = bytes(1000);
    await call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token, body: audio, headers: { "content-type": "audio/mpeg" } });
    const member = await mintMember();
    const { url } = (await (await call(`/api/lessons/${lessonIds[0]}/media`, { token: member.token })).json()) as { url: string };

    const part = await call(url, { headers: { range: "bytes=100-199" } });
    expect(part.status).toBe(206);
    expect(part.headers.get("content-range")).toBe("bytes 100-199/1000");
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(audio.slice(100, 200));

    const tail = await call(url, { headers: { range: "bytes=-10" } });
    expect(tail.headers.get("content-range")).toBe("bytes 990-999/1000");
    expect(new Uint8Array(await tail.arrayBuffer())).toEqual(audio.slice(990));

    const open = await call(url, { headers: { range: "bytes=995-" } });
    expect(new Uint8Array(await open.arrayBuffer())).toEqual(audio.slice(995));

    // Several ranges at once is not a form we serve; RFC 9110 lets the server send the whole object instead.
    const multi = await call(url, { headers: { range: "bytes=0-1,5-6" } });
    expect(multi.status).toBe(200);
    expect((await multi.arrayBuffer()).byteLength).toBe(1000);

    const beyond = await call(url, { headers: { range: "bytes=5000-" } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get("content-range")).toBe("bytes */1000");
  });

  it("refuses a content type that does not suit the lesson kind (415), leaving the lesson untouched", async () => {
    const token = await adminToken();
    const { lessonIds } = await seedCourse({ lessons: [{ kind: "video" }] });
    for (const type of ["audio/mpeg", "application/octet-stream", "text/html"]) {
      const res = await call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token, body: bytes(10), headers: { "content-type": type } });
      expect(res.status, type).toBe(415);
    }
    expect(await lessonRow(lessonIds[0])).toEqual({ media_key: null, media_content_type: null, media_bytes: null });
    expect((await env.MEDIA.list({ prefix: `lessons/${lessonIds[0]}/` })).objects).toHaveLength(0);
  });

  it("refuses a body over MEDIA_MAX_BYTES (413) and an empty one, writing nothing", async () => {
    const token = await adminToken();
    const { lessonIds } = await seedCourse({ lessons: [{ kind: "video" }] });
    const tooBig = await call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token, body: bytes(Number(env.MEDIA_MAX_BYTES) + 1), headers: { "content-type": "video/mp4" } });
    expect(tooBig.status).toBe(413);
    const empty = await call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token, body: new Uint8Array(0), headers: { "content-type": "video/mp4" } });
    expect(empty.status).toBe(422);
    expect(await lessonRow(lessonIds[0])).toMatchObject({ media_key: null });
    expect((await env.MEDIA.list({ prefix: `lessons/${lessonIds[0]}/` })).objects).toHaveLength(0);
  });

  it("accepts an article body and replaces earlier media, deleting the old object", async () => {
    const token = await adminToken();
    const { lessonIds } = await seedCourse({ lessons: [{ kind: "article", durationSec: 0, isTrial: true }] });
    const put = (text: string) =>
      call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token, body: text, headers: { "content-type": "text/markdown; charset=utf-8" } });
    const first = (await (await put("# 第一版")).json()) as { mediaKey: string };
    const member = await mintMember();
    const oldLink = (await (await call(`/api/lessons/${lessonIds[0]}/media`, { token: member.token })).json()) as { url: string };

    const second = (await (await put("# 第二版")).json()) as { mediaKey: string };
    expect(second.mediaKey).not.toBe(first.mediaKey);
    expect(await env.MEDIA.head(first.mediaKey)).toBeNull();
    expect((await call(oldLink.url)).status).toBe(403);

    const link = (await (await call(`/api/lessons/${lessonIds[0]}/media`, { token: member.token })).json()) as { url: string; kind: string };
    expect(link.kind).toBe("article");
    expect(await (await call(link.url)).text()).toBe("# 第二版");
  });

  it("answers 404 when uploading to an unknown lesson", async () => {
    const token = await adminToken();
    const res = await call("/api/admin/lessons/lsn_missing/media", { method: "PUT", token, body: "x", headers: { "content-type": "video/mp4" } });
    expect(res.status).toBe(404);
  });
});
