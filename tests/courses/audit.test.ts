import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { seedCourse } from "./support";
import { call, mintMember } from "../support/api";

type AuditRow = { actor_id: string; actor_kind: string; action: string; target_type: string; target_id: string; before: string | null; after: string | null; request_id: string | null };
const auditFor = async (targetId: string) =>
  (await env.DB.prepare("select * from audit_log where target_id = ? order by id").bind(targetId).all<AuditRow>()).results;

describe("audit log of catalog administration", () => {
  it("records each admin write with the admin, the change and the request id", async () => {
    const admin = await mintMember({ roles: ["admin"] });
    const created = await call("/api/admin/courses", { token: admin.token, json: { title: "审计课程", priceFen: 100 } });
    const course = (await created.json()) as { id: string };
    const chapter = (await (await call(`/api/admin/courses/${course.id}/chapters`, { token: admin.token, json: { title: "一" } })).json()) as { id: string };
    await call(`/api/admin/chapters/${chapter.id}/lessons`, { token: admin.token, json: { title: "课", kind: "video" } });
    await call(`/api/admin/courses/${course.id}`, { method: "PATCH", token: admin.token, json: { priceFen: 200 } });
    const published = await call(`/api/admin/courses/${course.id}/publish`, { method: "POST", token: admin.token });

    const rows = await auditFor(course.id);
    expect(rows.map((r) => r.action)).toEqual(["course.create", "course.update", "course.publish"]);
    expect(rows.every((r) => r.actor_id === admin.id && r.actor_kind === "admin" && r.target_type === "course")).toBe(true);
    expect(JSON.parse(rows[1].before!)).toEqual({ priceFen: 100 });
    expect(JSON.parse(rows[1].after!)).toEqual({ priceFen: 200 });
    expect(rows[2].request_id).toBe(published.headers.get("x-request-id"));
    expect((await auditFor(chapter.id)).map((r) => r.action)).toEqual(["chapter.create"]);
  });

  it("records nothing when the write is refused", async () => {
    const admin = await mintMember({ roles: ["admin"] });
    const { courseId } = await seedCourse();
    const count = async () => (await env.DB.prepare("select count(*) as n from audit_log").first<{ n: number }>())!.n;
    const before = await count();
    expect((await call(`/api/admin/courses/${courseId}`, { method: "PATCH", token: admin.token, json: { priceFen: -1 } })).status).toBe(422);
    expect((await call("/api/admin/courses/crs_nope", { method: "PATCH", token: admin.token, json: { priceFen: 1 } })).status).toBe(404);
    expect((await call("/api/admin/courses/crs_nope/unpublish", { method: "POST", token: admin.token })).status).toBe(404);
    const member = await mintMember();
    expect((await call(`/api/admin/courses/${courseId}`, { method: "PATCH", token: member.token, json: { priceFen: 1 } })).status).toBe(403);
    expect(await count()).toBe(before);
  });

  it("records grants against the member and media uploads against the lesson", async () => {
    const admin = await mintMember({ roles: ["admin"] });
    const { courseId, lessonIds } = await seedCourse();
    const member = await mintMember();
    await call(`/api/admin/courses/${courseId}/grants`, { token: admin.token, json: { memberId: member.id } });
    await call(`/api/admin/courses/${courseId}/grants/${member.id}`, { method: "DELETE", token: admin.token });
    await call(`/api/admin/lessons/${lessonIds[0]}/media`, { method: "PUT", token: admin.token, body: "abc", headers: { "content-type": "video/mp4" } });

    expect((await auditFor(member.id)).map((r) => [r.action, r.target_type])).toEqual([
      ["course.grant", "member"],
      ["course.revoke", "member"],
    ]);
    const [upload] = await auditFor(lessonIds[0]);
    expect(upload).toMatchObject({ action: "lesson.media.upload", target_type: "lesson", actor_id: admin.id });
    expect(JSON.parse(upload.after!)).toMatchObject({ mediaContentType: "video/mp4", mediaBytes: 3 });
  });
});
