import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../support/api";
import { adminToken } from "../courses/support";
import { auditRows, fetchWorker, loginSession, ORIGIN, seedAdmin } from "./support";

type Session = Awaited<ReturnType<typeof loginSession>>;

/** The first bytes of each accepted format, then filler: the service names the type from these bytes alone. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 120 }, (_, i) => i)]);
const JPEG = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...Array.from({ length: 60 }, (_, i) => 255 - i)]);
const WEBP = new Uint8Array([...new TextEncoder().encode("RIFF"), 40, 0, 0, 0, ...new TextEncoder().encode("WEBPVP8 "), ...new Uint8Array(32)]);

async function sha256(bytes: Uint8Array) {
  return [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

async function createCourse(s: Session) {
  const body = new URLSearchParams({ title: "封面课", subtitle: "", instructor: "", description: "", price: "1", sortOrder: "0", _csrf: s.csrf });
  const res = await fetchWorker("/admin/courses", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: s.cookie }, body });
  expect(res.status).toBe(303);
  return decodeURIComponent(res.headers.get("location")!.match(/\/admin\/courses\/([^?]+)/)![1]);
}

function uploadCover(s: Session, courseId: string, file: File, csrf = s.csrf) {
  const form = new FormData();
  form.set("_csrf", csrf);
  form.set("file", file);
  return fetchWorker(`/admin/courses/${courseId}/cover`, { method: "POST", headers: { origin: ORIGIN, cookie: s.cookie }, body: form });
}

const coverUrl = async (id: string) => (await env.DB.prepare("SELECT cover_url FROM courses WHERE id = ?").bind(id).first<{ cover_url: string }>())!.cover_url;
const storedCovers = async () => (await env.MEDIA.list({ prefix: "covers/" })).objects.map((o) => o.key);

describe("course covers uploaded from the console", () => {
  it("store the image in R2 under its content hash and point the course's coverUrl at the public route, audited", async () => {
    await seedAdmin("cleo");
    const s = await loginSession("cleo");
    const id = await createCourse(s);
    // The browser's claimed type does not matter: the bytes say PNG.
    const res = await uploadCover(s, id, new File([PNG], "cover.bin", { type: "application/octet-stream" }));
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`/admin/courses/${id}?done=cover`);

    const hash = await sha256(PNG);
    expect(await coverUrl(id)).toBe(`/media/covers/${hash}.png`);
    const object = await env.MEDIA.get(`covers/${hash}.png`);
    expect(object?.httpMetadata?.contentType).toBe("image/png");
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(PNG);
    const audit = (await auditRows("course.update")).find((r) => r.target_id === id)!;
    expect(JSON.parse(audit.after as string)).toEqual({ coverUrl: `/media/covers/${hash}.png` });

    // The course page shows it, the member-facing API names it under the same field as before.
    const page = await (await fetchWorker(`/admin/courses/${id}`, { headers: { cookie: s.cookie } })).text();
    expect(page).toContain(`src="/media/covers/${hash}.png"`);
    expect(page).toContain('enctype="multipart/form-data"');
    expect(page).not.toContain('name="coverUrl"');
    const admin = await fetchWorker(`/api/admin/courses/${id}`, { headers: { cookie: s.cookie } });
    expect(admin.status).toBe(200);
    expect(((await admin.json()) as { coverUrl: string }).coverUrl).toBe(`/media/covers/${hash}.png`);

    // JPEG and WebP too, each with its own extension; the same bytes twice are one object.
    expect((await uploadCover(s, id, new File([JPEG], "a.jpg", { type: "image/jpeg" }))).status).toBe(303);
    expect(await coverUrl(id)).toBe(`/media/covers/${await sha256(JPEG)}.jpg`);
    expect((await uploadCover(s, id, new File([WEBP], "a.webp", { type: "image/webp" }))).status).toBe(303);
    expect(await coverUrl(id)).toBe(`/media/covers/${await sha256(WEBP)}.webp`);
    const other = await createCourse(s);
    expect((await uploadCover(s, other, new File([PNG], "same.png", { type: "image/png" }))).status).toBe(303);
    expect((await storedCovers()).filter((k) => k.includes(hash))).toEqual([`covers/${hash}.png`]);
  });

  it("serve a cover publicly with a year of immutable caching, an ETag, nosniff, and 304 on If-None-Match", async () => {
    await seedAdmin("cato");
    const s = await loginSession("cato");
    const id = await createCourse(s);
    await uploadCover(s, id, new File([JPEG], "c.jpg", { type: "image/jpeg" }));
    const path = await coverUrl(id);

    const res = await call(path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-length")).toBe(String(JPEG.length));
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(JPEG);

    const again = await call(path, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(again.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await again.text()).toBe("");
    expect((await call(path, { headers: { "if-none-match": '"something-else"' } })).status).toBe(200);

    expect((await call(`/media/covers/${"a".repeat(64)}.png`)).status).toBe(404);
    expect((await call("/media/covers/not-a-hash.png")).status).toBe(422);
  });

  it("refuse a file that is not a PNG, JPEG or WebP by its bytes, an empty one or one over 2 MB, and store nothing", async () => {
    await seedAdmin("cass");
    const s = await loginSession("cass");
    const token = await adminToken();
    const id = await createCourse(s);
    const before = { objects: await storedCovers(), audits: (await auditRows("course.update")).length };

    const svg = new File(['<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'], "x.png", { type: "image/png" });
    const refused = await uploadCover(s, id, svg);
    expect(refused.status).toBe(415);
    expect(await refused.text()).toContain("封面只接受 PNG、JPEG 或 WebP 图片");
    const gif = new File([new TextEncoder().encode("GIF89a......")], "x.gif", { type: "image/gif" });
    expect((await uploadCover(s, id, gif)).status).toBe(415);
    expect((await uploadCover(s, id, new File([], "empty.png", { type: "image/png" }))).status).toBe(422);
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG);
    expect((await uploadCover(s, id, new File([big], "big.png", { type: "image/png" }))).status).toBe(413);
    expect((await uploadCover(s, id, new File([PNG], "p.png", { type: "image/png" }), "forged")).status).toBe(403);
    expect((await uploadCover(s, "no-such-course", new File([PNG], "p.png", { type: "image/png" }))).status).toBe(404);

    expect(await coverUrl(id)).toBe("");
    expect(await storedCovers()).toEqual(before.objects);
    expect((await auditRows("course.update")).length).toBe(before.audits);
    // The API's coverUrl takes an absolute URL or one of our cover paths, not any path.
    const patch = (value: string) => call(`/api/admin/courses/${id}`, { method: "PATCH", token, json: { coverUrl: value } });
    expect((await patch("/etc/passwd")).status).toBe(422);
    expect((await patch("/media/covers/../../secret.png")).status).toBe(422);
    expect(await coverUrl(id)).toBe("");
    expect((await patch(`/media/covers/${"c".repeat(64)}.webp`)).status).toBe(200);
  });
});
