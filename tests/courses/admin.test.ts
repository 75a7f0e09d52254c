import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { adminToken, seedCourse } from "./support";
import { call, mintMember } from "../support/api";

const countCourses = async () => (await env.DB.prepare("select count(*) as n from courses").first<{ n: number }>())!.n;

describe("course administration", () => {
  it("is closed to anonymous callers (401) and to members (403)", async () => {
    const member = await mintMember({ tier: "shareholder" });
    const { courseId, chapterId, lessonIds } = await seedCourse();
    const writes: [string, string][] = [
      ["POST", "/api/admin/courses"],
      ["PATCH", `/api/admin/courses/${courseId}`],
      ["POST", `/api/admin/courses/${courseId}/publish`],
      ["POST", `/api/admin/courses/${courseId}/unpublish`],
      ["POST", `/api/admin/courses/${courseId}/chapters`],
      ["PATCH", `/api/admin/chapters/${chapterId}`],
      ["POST", `/api/admin/chapters/${chapterId}/lessons`],
      ["PATCH", `/api/admin/lessons/${lessonIds[0]}`],
      ["GET", `/api/admin/courses/${courseId}`],
      ["GET", "/api/admin/courses"],
    ];
    for (const [method, path] of writes) {
      const json = method === "GET" ? undefined : { title: "x", priceFen: 1 };
      expect((await call(path, { method, json })).status, `${method} ${path}`).toBe(401);
      expect((await call(path, { method, json, token: member.token })).status, `${method} ${path}`).toBe(403);
    }
    const upload = await call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token: member.token, body: "x", headers: { "content-type": "video/mp4" } });
    expect(upload.status).toBe(403);
  });

  it("builds a course from draft to published, appending chapters and lessons in order", async () => {
    const token = await adminToken();
    const created = await call("/api/admin/courses", { token, json: { title: "书法入门", priceFen: 19900, instructor: "王老师" } });
    expect(created.status).toBe(201);
    const course = (await created.json()) as { id: string; status: string };
    expect(course).toMatchObject({ status: "draft", priceFen: 19900, subtitle: "", publishedAt: null });
    expect((await call(`/api/courses/${course.id}`)).status).toBe(404);

    const ch1 = (await (await call(`/api/admin/courses/${course.id}/chapters`, { token, json: { title: "笔画" } })).json()) as { id: string; sortOrder: number };
    const ch2 = (await (await call(`/api/admin/courses/${course.id}/chapters`, { token, json: { title: "结构" } })).json()) as { id: string; sortOrder: number };
    expect(ch2.sortOrder).toBeGreaterThan(ch1.sortOrder);
    const l1 = await call(`/api/admin/chapters/${ch1.id}/lessons`, { token, json: { title: "横", kind: "video", durationSec: 300, isTrial: true } });
    expect(l1.status).toBe(201);
    await call(`/api/admin/chapters/${ch1.id}/lessons`, { token, json: { title: "竖", kind: "audio", durationSec: 200 } });
    // An explicit position puts the new lesson first.
    await call(`/api/admin/chapters/${ch1.id}/lessons`, { token, json: { title: "点", kind: "article", sortOrder: -1 } });

    const published = await call(`/api/admin/courses/${course.id}/publish`, { method: "POST", token });
    expect(published.status).toBe(200);
    expect(await published.json()).toMatchObject({ status: "published", publishedAt: expect.any(String) });

    const detail = (await (await call(`/api/courses/${course.id}`)).json()) as { chapters: { title: string; lessons: { title: string; isTrial: boolean }[] }[] };
    expect(detail.chapters.map((c) => c.title)).toEqual(["笔画", "结构"]);
    expect(detail.chapters[0].lessons.map((l) => l.title)).toEqual(["点", "横", "竖"]);

    const hidden = await call(`/api/admin/courses/${course.id}/unpublish`, { method: "POST", token });
    expect(await hidden.json()).toMatchObject({ status: "draft" });
    expect((await call(`/api/courses/${course.id}`)).status).toBe(404);
  });

  it("refuses to publish a course without lessons (409)", async () => {
    const token = await adminToken();
    const course = (await (await call("/api/admin/courses", { token, json: { title: "空课程", priceFen: 100 } })).json()) as { id: string };
    const res = await call(`/api/admin/courses/${course.id}/publish`, { method: "POST", token });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ type: "/problems/course-has-no-lessons" });
    expect((await call("/api/admin/courses/crs_unknown/publish", { method: "POST", token })).status).toBe(404);
  });

  it("updates a course, reorders a chapter and moves a lesson within its course", async () => {
    const token = await adminToken();
    const { courseId, chapterId, lessonIds } = await seedCourse();
    const patched = await call(`/api/admin/courses/${courseId}`, { method: "PATCH", token, json: { priceFen: 29900, title: "新标题" } });
    expect(await patched.json()).toMatchObject({ priceFen: 29900, title: "新标题" });

    const ch2 = (await (await call(`/api/admin/courses/${courseId}/chapters`, { token, json: { title: "第二章" } })).json()) as { id: string };
    const moved = await call(`/api/admin/lessons/${lessonIds[1]}`, { method: "PATCH", token, json: { chapterId: ch2.id, isTrial: true } });
    expect(await moved.json()).toMatchObject({ chapterId: ch2.id, isTrial: true });
    const reordered = await call(`/api/admin/chapters/${ch2.id}`, { method: "PATCH", token, json: { sortOrder: -5 } });
    expect(await reordered.json()).toMatchObject({ sortOrder: -5 });

    const outline = (await (await call(`/api/admin/courses/${courseId}`, { token })).json()) as { chapters: { id: string; lessons: { id: string }[] }[] };
    expect(outline.chapters.map((c) => c.id)).toEqual([ch2.id, chapterId]);
    expect(outline.chapters[0].lessons.map((l) => l.id)).toEqual([lessonIds[1]]);
  });

  it("will not move a lesson into another course's chapter (422, nothing changed)", async () => {
    const token = await adminToken();
    const a = await seedCourse();
    const b = await seedCourse();
    const res = await call(`/api/admin/lessons/${a.lessonIds[0]}`, { method: "PATCH", token, json: { chapterId: b.chapterId, title: "changed" } });
    expect(res.status).toBe(422);
    const row = await env.DB.prepare("select chapter_id, title from lessons where id = ?").bind(a.lessonIds[0]).first();
    expect(row).toEqual({ chapter_id: a.chapterId, title: "Lesson 1" });
  });

  it("answers invalid input with 422 and writes nothing", async () => {
    const token = await adminToken();
    const before = await countCourses();
    const bad = [
      {},
      { title: "", priceFen: 100 },
      { title: "半价", priceFen: 99.5 },
      { title: "负价", priceFen: -1 },
      { title: "x", priceFen: 100, coverUrl: "not a url" },
      { title: "x", priceFen: 100, status: "published" },
      { title: "x", priceFen: "100" },
    ];
    for (const json of bad) {
      const res = await call("/api/admin/courses", { token, json });
      expect(res.status, JSON.stringify(json)).toBe(422);
      expect(await res.json()).toMatchObject({ type: "/problems/validation-failed", errors: expect.any(Array) });
    }
    expect(await countCourses()).toBe(before);

    const { courseId, chapterId } = await seedCourse();
    expect((await call(`/api/admin/courses/${courseId}`, { method: "PATCH", token, json: {} })).status).toBe(422);
    expect((await call(`/api/admin/chapters/${chapterId}/lessons`, { token, json: { title: "x", kind: "pdf" } })).status).toBe(422);
    expect((await call(`/api/admin/chapters/${chapterId}/lessons`, { token, json: { title: "x", kind: "video", durationSec: -3 } })).status).toBe(422);
    const lessons = await env.DB.prepare("select count(*) as n from lessons where chapter_id = ?").bind(chapterId).first<{ n: number }>();
    expect(lessons!.n).toBe(2);
  });

  it("answers 404 for chapters and lessons that do not exist", async () => {
    const token = await adminToken();
    expect((await call("/api/admin/courses/crs_x/chapters", { token, json: { title: "x" } })).status).toBe(404);
    expect((await call("/api/admin/chapters/chp_x/lessons", { token, json: { title: "x", kind: "video" } })).status).toBe(404);
    expect((await call("/api/admin/lessons/lsn_x", { method: "PATCH", token, json: { title: "x" } })).status).toBe(404);
  });

  it("reorders the whole outline at once, moving lessons between chapters", async () => {
    const token = await adminToken();
    const { courseId, chapterId, lessonIds } = await seedCourse({ lessons: [{}, {}, {}] });
    const ch2 = (await (await call(`/api/admin/courses/${courseId}/chapters`, { token, json: { title: "第二章" } })).json()) as { id: string };
    const res = await call(`/api/admin/courses/${courseId}/outline`, {
      method: "PUT",
      token,
      json: { chapters: [{ id: ch2.id, lessonIds: [lessonIds[2], lessonIds[0]] }, { id: chapterId, lessonIds: [lessonIds[1]] }] },
    });
    expect(res.status).toBe(200);
    const outline = (await res.json()) as { chapters: { id: string; lessons: { id: string }[] }[] };
    expect(outline.chapters.map((c) => [c.id, c.lessons.map((l) => l.id)])).toEqual([
      [ch2.id, [lessonIds[2], lessonIds[0]]],
      [chapterId, [lessonIds[1]]],
    ]);
  });

  it("refuses an outline that leaves out, repeats or borrows a lesson (422, order unchanged)", async () => {
    const token = await adminToken();
    const { courseId, chapterId, lessonIds } = await seedCourse({ lessons: [{}, {}] });
    const other = await seedCourse();
    const before = await env.DB.prepare("select id, chapter_id, sort_order from lessons where course_id = ? order by id").bind(courseId).all();
    for (const lessons of [[lessonIds[0]], [lessonIds[0], lessonIds[0], lessonIds[1]], [lessonIds[1], lessonIds[0], other.lessonIds[0]]]) {
      const res = await call(`/api/admin/courses/${courseId}/outline`, { method: "PUT", token, json: { chapters: [{ id: chapterId, lessonIds: lessons }] } });
      expect(res.status, JSON.stringify(lessons)).toBe(422);
    }
    const after = await env.DB.prepare("select id, chapter_id, sort_order from lessons where course_id = ? order by id").bind(courseId).all();
    expect(after.results).toEqual(before.results);
  });

  it("creates a course once for a repeated Idempotency-Key, and refuses the key for another body (409)", async () => {
    const token = await adminToken();
    const before = await countCourses();
    const headers = { "idempotency-key": crypto.randomUUID() };
    const first = await call("/api/admin/courses", { token, headers, json: { title: "重复提交", priceFen: 500 } });
    const again = await call("/api/admin/courses", { token, headers, json: { title: "重复提交", priceFen: 500 } });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(((await again.json()) as { id: string }).id).toBe(((await first.json()) as { id: string }).id);
    const other = await call("/api/admin/courses", { token, headers, json: { title: "另一门", priceFen: 500 } });
    expect(other.status).toBe(409);
    expect(await countCourses()).toBe(before + 1);
  });
});
