import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { mintMember } from "../support/api";
import { auditRows, fetchWorker, loginSession, ORIGIN, seedAdmin } from "./support";

type Session = Awaited<ReturnType<typeof loginSession>>;

function post(s: Session, path: string, fields: Record<string, string>, opts: { csrf?: string | null } = {}) {
  const body = new URLSearchParams(fields);
  if (opts.csrf !== null) body.set("_csrf", opts.csrf ?? s.csrf);
  return fetchWorker(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: s.cookie }, body });
}

const COURSE = { title: "书法入门", subtitle: "从握笔开始", instructor: "王老师", description: "十讲", price: "19.90", sortOrder: "5" };

async function createCourse(s: Session, fields: Record<string, string> = {}) {
  const res = await post(s, "/admin/courses", { ...COURSE, ...fields });
  expect(res.status).toBe(303);
  return decodeURIComponent(res.headers.get("location")!.match(/\/admin\/courses\/([^?]+)/)![1]);
}

async function outline(id: string) {
  const [course, chapters, lessons] = await env.DB.batch([
    env.DB.prepare("SELECT * FROM courses WHERE id = ?").bind(id),
    env.DB.prepare("SELECT * FROM chapters WHERE course_id = ? ORDER BY sort_order").bind(id),
    env.DB.prepare("SELECT * FROM lessons WHERE course_id = ? ORDER BY chapter_id, sort_order").bind(id),
  ]);
  return { course: course.results[0] as Record<string, any>, chapters: chapters.results as Record<string, any>[], lessons: lessons.results as Record<string, any>[] };
}

describe("the console's course pages", () => {
  it("create a course with the price typed in yuan stored as exact fen, and audit it", async () => {
    await seedAdmin("cora");
    const s = await loginSession("cora");
    const id = await createCourse(s, { price: "0.29" });
    const { course } = await outline(id);
    expect(course).toMatchObject({ title: "书法入门", price_fen: 29, status: "draft", sort_order: 5, instructor: "王老师" });
    const row = (await auditRows("course.create")).find((r) => r.target_id === id);
    expect(row).toMatchObject({ actor_id: "adm_cora", actor_kind: "admin", target_type: "course", target_id: id });
    const page = await (await fetchWorker(`/admin/courses/${id}`, { headers: { cookie: s.cookie } })).text();
    expect(page).toContain('value="0.29"');
    expect(page).toContain("¥0.29");
  });

  it("refuse a price that is not yuan with two decimals, and write nothing", async () => {
    await seedAdmin("dina");
    const s = await loginSession("dina");
    const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM courses").first<{ n: number }>())!.n;
    const [courses, audits] = [await count(), (await auditRows("course.create")).length];
    for (const price of ["12.345", "-1", "abc", "1e3", ""]) {
      const res = await post(s, "/admin/courses", { ...COURSE, price });
      expect(res.status, price).toBe(422);
      expect(await res.text()).toContain('data-error-for="price"');
    }
    expect(await count()).toBe(courses);
    expect(await auditRows("course.create")).toHaveLength(audits);
  });

  it("edit only what changed, publish after a lesson exists, and unpublish", async () => {
    await seedAdmin("eve");
    const s = await loginSession("eve");
    const id = await createCourse(s);
    expect((await post(s, `/admin/courses/${id}`, { ...COURSE, title: "书法进阶", price: "12.3" })).status).toBe(303);
    expect((await outline(id)).course).toMatchObject({ title: "书法进阶", price_fen: 1230 });
    const update = (await auditRows("course.update")).find((r) => r.target_id === id)!;
    expect(JSON.parse(update.before as string)).toEqual({ title: "书法入门", priceFen: 1990 });
    expect(JSON.parse(update.after as string)).toEqual({ title: "书法进阶", priceFen: 1230 });

    const refused = await post(s, `/admin/courses/${id}/publish`, {});
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("至少添加一节课时");

    expect((await post(s, `/admin/courses/${id}/chapters`, { title: "第一章" })).status).toBe(303);
    const chapterId = (await outline(id)).chapters[0].id;
    expect((await post(s, `/admin/chapters/${chapterId}/lessons`, { title: "握笔", kind: "video", durationSec: "90", isTrial: "on" })).status).toBe(303);
    expect((await post(s, `/admin/chapters/${chapterId}/lessons`, { title: "运笔", kind: "article" })).status).toBe(303);
    const { lessons } = await outline(id);
    expect(lessons.map((l) => [l.title, l.kind, l.is_trial, l.duration_sec])).toEqual([["握笔", "video", 1, 90], ["运笔", "article", 0, 0]]);

    expect((await post(s, `/admin/courses/${id}/publish`, {})).status).toBe(303);
    expect((await outline(id)).course.status).toBe("published");
    const listed = await (await fetchWorker("/api/courses")).json<{ items: { id: string }[] }>();
    expect(listed.items.map((c) => c.id)).toContain(id);

    expect((await post(s, `/admin/courses/${id}/unpublish`, {})).status).toBe(303);
    expect((await outline(id)).course.status).toBe("draft");
    expect((await auditRows()).map((r) => r.action)).toEqual(
      expect.arrayContaining(["course.create", "course.update", "chapter.create", "lesson.create", "course.publish", "course.unpublish"]),
    );
  });

  it("reorder lessons and chapters with the up and down buttons, edit a lesson's trial flag and kind", async () => {
    await seedAdmin("fay");
    const s = await loginSession("fay");
    const id = await createCourse(s);
    await post(s, `/admin/courses/${id}/chapters`, { title: "一" });
    await post(s, `/admin/courses/${id}/chapters`, { title: "二" });
    const [one, two] = (await outline(id)).chapters.map((c) => c.id);
    await post(s, `/admin/chapters/${one}/lessons`, { title: "A", kind: "video" });
    await post(s, `/admin/chapters/${one}/lessons`, { title: "B", kind: "audio" });
    const b = (await outline(id)).lessons.find((l) => l.title === "B")!;

    expect((await post(s, `/admin/courses/${id}/move`, { kind: "lesson", id: b.id, dir: "up" })).status).toBe(303);
    expect((await outline(id)).lessons.map((l) => l.title)).toEqual(["B", "A"]);
    await post(s, `/admin/courses/${id}/move`, { kind: "chapter", id: two, dir: "up" });
    expect((await outline(id)).chapters.map((c) => c.title)).toEqual(["二", "一"]);
    expect((await auditRows("course.reorder")).filter((r) => r.target_id === id)).toHaveLength(2);

    const res = await post(s, `/admin/lessons/${b.id}`, { title: "B2", kind: "article", chapterId: two, durationSec: "0", isTrial: "on" });
    expect(res.status).toBe(303);
    expect((await outline(id)).lessons.find((l) => l.id === b.id)).toMatchObject({ title: "B2", kind: "article", chapter_id: two, is_trial: 1 });
    // The unticked checkbox is absent from the form: the flag goes back off.
    await post(s, `/admin/lessons/${b.id}`, { title: "B2", kind: "article", chapterId: two, durationSec: "0" });
    expect((await outline(id)).lessons.find((l) => l.id === b.id)!.is_trial).toBe(0);
  });

  it("upload a lesson's media from a multipart form to R2 through the API's upload rules, and show its type and size", async () => {
    await seedAdmin("gus");
    const s = await loginSession("gus");
    const id = await createCourse(s);
    await post(s, `/admin/courses/${id}/chapters`, { title: "一" });
    const chapterId = (await outline(id)).chapters[0].id;
    await post(s, `/admin/chapters/${chapterId}/lessons`, { title: "讲义", kind: "article" });
    const lessonId = (await outline(id)).lessons[0].id;

    const upload = (file: File, csrf = s.csrf) => {
      const form = new FormData();
      form.set("_csrf", csrf);
      form.set("file", file);
      return fetchWorker(`/admin/lessons/${lessonId}/media`, { method: "POST", headers: { origin: ORIGIN, cookie: s.cookie }, body: form });
    };
    const wrongType = await upload(new File([new Uint8Array(16)], "clip.mp4", { type: "video/mp4" }));
    expect(wrongType.status).toBe(415);
    expect(await upload(new File(["# 讲义"], "notes.md", { type: "text/markdown" }), "forged")).toHaveProperty("status", 403);

    // The tests' MEDIA_MAX_BYTES is 64 KiB: the service refuses a bigger file, the console's body limit a far bigger one.
    expect((await upload(new File([new Uint8Array(70_000)], "big.md", { type: "text/markdown" }))).status).toBe(413);
    expect((await upload(new File([new Uint8Array(300_000)], "huge.md", { type: "text/markdown" }))).status).toBe(413);
    // An extension the browser gave no type for is named from the file name.
    expect((await upload(new File(["plain"], "notes.txt", { type: "" }))).status).toBe(303);
    expect((await outline(id)).lessons[0].media_content_type).toBe("text/plain");
    const ok = await upload(new File(["# 讲义\n握笔要松。"], "notes.md", { type: "text/markdown" }));
    expect(ok.status).toBe(303);
    const lesson = (await outline(id)).lessons[0];
    const bytes = new TextEncoder().encode("# 讲义\n握笔要松。").length;
    expect(lesson).toMatchObject({ media_content_type: "text/markdown", media_bytes: bytes });
    expect(await (await env.MEDIA.get(lesson.media_key))!.text()).toBe("# 讲义\n握笔要松。");
    expect((await auditRows("lesson.media.upload")).filter((r) => r.target_id === lessonId)).toHaveLength(2);
    expect(await env.MEDIA.list({ prefix: `lessons/${lessonId}/` }).then((l) => l.objects.length)).toBe(1); // the replaced upload is gone
    const page = await (await fetchWorker(`/admin/lessons/${lessonId}`, { headers: { cookie: s.cookie } })).text();
    expect(page).toContain(`text/markdown · ${bytes} B`);
  });

  it("refuse every course form without the session's CSRF token, writing nothing", async () => {
    await seedAdmin("hal");
    const s = await loginSession("hal");
    const id = await createCourse(s);
    await post(s, `/admin/courses/${id}/chapters`, { title: "一" });
    const chapterId = (await outline(id)).chapters[0].id;
    await post(s, `/admin/chapters/${chapterId}/lessons`, { title: "A", kind: "video" });
    const lessonId = (await outline(id)).lessons[0].id;
    const before = (await auditRows()).length;
    const forms: [string, Record<string, string>][] = [
      ["/admin/courses", COURSE],
      [`/admin/courses/${id}`, { ...COURSE, title: "x" }],
      [`/admin/courses/${id}/publish`, {}],
      [`/admin/courses/${id}/unpublish`, {}],
      [`/admin/courses/${id}/chapters`, { title: "二" }],
      [`/admin/chapters/${chapterId}`, { title: "改" }],
      [`/admin/chapters/${chapterId}/lessons`, { title: "B", kind: "video" }],
      [`/admin/lessons/${lessonId}`, { title: "改", kind: "video", durationSec: "1" }],
      [`/admin/lessons/${lessonId}/media`, {}],
      [`/admin/courses/${id}/move`, { kind: "chapter", id: chapterId, dir: "down" }],
    ];
    for (const [path, fields] of forms) {
      expect((await post(s, path, fields, { csrf: null })).status, path).toBe(403);
      expect((await post(s, path, fields, { csrf: "wrong" })).status, path).toBe(403);
    }
    expect((await auditRows()).length).toBe(before);
    expect((await outline(id)).course.title).toBe("书法入门");
  });

  it("list every course, drafts and published, page by page in catalog order", async () => {
    await seedAdmin("ida");
    const s = await loginSession("ida");
    const t = Date.now();
    await env.DB.batch(
      Array.from({ length: 22 }, (_, i) =>
        env.DB.prepare("INSERT INTO courses (id, title, price_fen, status, sort_order, created_at, updated_at) VALUES (?, ?, 100, ?, ?, ?, ?)")
          .bind(`crs_page_${String(i).padStart(2, "0")}`, `翻页课程${i}`, i % 2 ? "published" : "draft", 1000 + i, t, t),
      ),
    );
    const ids = (html: string) => [...html.matchAll(/data-course-id="(crs_page_[^"]+)"/g)].map((m) => m[1]);
    const seen: string[] = [];
    let path: string | undefined = "/admin/courses";
    while (path) {
      const html = await (await fetchWorker(path, { headers: { cookie: s.cookie } })).text();
      seen.push(...ids(html));
      path = html.match(/href="([^"]+)" rel="next"/)?.[1].replace(/&amp;/g, "&");
    }
    expect(seen).toEqual(Array.from({ length: 22 }, (_, i) => `crs_page_${String(i).padStart(2, "0")}`));
  });

  it("send visitors without a session to the login page and refuse their forms", async () => {
    for (const path of ["/admin/courses", "/admin/courses/new", "/admin/courses/x", "/admin/lessons/x"]) {
      const res = await fetchWorker(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login");
    }
    const res = await fetchWorker("/admin/courses", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN }, body: new URLSearchParams(COURSE) });
    expect(res.status).toBe(403);
    // A member's (or even an admin member's) bearer token is not a console session.
    for (const token of [(await mintMember({ id: "m-visitor" })).token, (await mintMember({ id: "a-visitor", roles: ["admin"] })).token]) {
      const authorization = `Bearer ${token}`;
      expect((await fetchWorker("/admin/courses", { headers: { authorization } })).headers.get("location")).toBe("/admin/login");
      const form = await fetchWorker("/admin/courses", { method: "POST", headers: { authorization, "content-type": "application/x-www-form-urlencoded", origin: ORIGIN }, body: new URLSearchParams(COURSE) });
      expect(form.status).toBe(403);
    }
  });
});
