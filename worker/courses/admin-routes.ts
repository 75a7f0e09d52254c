import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter, json, jsonBody } from "../http/router";
import { addChapter, addLesson, courseOutline, createCourse, listAllCourses, publishCourse, reorderOutline, unpublishCourse, updateChapter, updateCourse, updateLesson } from "./admin";
import { AdminChapter, AdminCourse, AdminCourseDetail, AdminCoursePage, AdminLesson, ChapterInput, ChapterPatch, CourseInput, CoursePatch, LessonInput, LessonPatch, OutlineInput, Grant, GrantInput } from "./admin-schemas";
import { grantByAdmin, revokeByAdmin } from "./grants";
import { actorOf } from "./audit";
import { MEDIA_TYPES, uploadLessonMedia } from "./media";
import { ChapterIdParam, CourseIdParam, LessonIdParam, PageQuery } from "./schemas";

const admin = { tags: ["admin · courses"], middleware: [requireAdmin], security: [{ bearer: [] }] };
const errors = problemResponses(401, 403, 404, 422);
/** State-changing POSTs accept Idempotency-Key (scoped to the admin, after auth). */
const adminPost = { ...admin, method: "post" as const, middleware: [requireAdmin, idempotency] };

const list = createRoute({ ...admin, method: "get", path: "/api/admin/courses", summary: "All courses, drafts included", request: { query: PageQuery }, responses: { 200: json(AdminCoursePage, "A page of courses"), ...errors } });
const outline = createRoute({ ...admin, method: "get", path: "/api/admin/courses/{id}", summary: "A course with its full outline and media keys", request: { params: CourseIdParam }, responses: { 200: json(AdminCourseDetail, "The course"), ...errors } });
const create = createRoute({ ...adminPost, path: "/api/admin/courses", summary: "Create a course (as a draft)", request: { headers: IdempotencyKeyHeader, body: jsonBody(CourseInput) }, responses: { 201: json(AdminCourse, "Created"), ...errors } });
const update = createRoute({ ...admin, method: "patch", path: "/api/admin/courses/{id}", summary: "Update a course", request: { params: CourseIdParam, body: jsonBody(CoursePatch) }, responses: { 200: json(AdminCourse, "Updated"), ...errors } });
const publish = createRoute({ ...adminPost, path: "/api/admin/courses/{id}/publish", summary: "Publish (needs at least one lesson)", request: { headers: IdempotencyKeyHeader, params: CourseIdParam }, responses: { 200: json(AdminCourse, "Published"), ...problemResponses(401, 403, 404, 409, 422) } });
const unpublish = createRoute({ ...adminPost, path: "/api/admin/courses/{id}/unpublish", summary: "Take a course off the catalog (back to draft)", request: { headers: IdempotencyKeyHeader, params: CourseIdParam }, responses: { 200: json(AdminCourse, "Unpublished"), ...errors } });
const newChapter = createRoute({ ...adminPost, path: "/api/admin/courses/{id}/chapters", summary: "Add a chapter (appended unless sortOrder is given)", request: { headers: IdempotencyKeyHeader, params: CourseIdParam, body: jsonBody(ChapterInput) }, responses: { 201: json(AdminChapter, "Created"), ...errors } });
const editChapter = createRoute({ ...admin, method: "patch", path: "/api/admin/chapters/{id}", summary: "Rename or reorder a chapter", request: { params: ChapterIdParam, body: jsonBody(ChapterPatch) }, responses: { 200: json(AdminChapter, "Updated"), ...errors } });
const newLesson = createRoute({ ...adminPost, path: "/api/admin/chapters/{id}/lessons", summary: "Add a lesson to a chapter (appended unless sortOrder is given)", request: { headers: IdempotencyKeyHeader, params: ChapterIdParam, body: jsonBody(LessonInput) }, responses: { 201: json(AdminLesson, "Created"), ...errors } });
const editLesson = createRoute({ ...admin, method: "patch", path: "/api/admin/lessons/{id}", summary: "Update, reorder or move a lesson within its course", request: { params: LessonIdParam, body: jsonBody(LessonPatch) }, responses: { 200: json(AdminLesson, "Updated"), ...errors } });
const reorder = createRoute({ ...admin, method: "put", path: "/api/admin/courses/{id}/outline", summary: "Reorder every chapter and lesson at once (may move lessons between chapters)", request: { params: CourseIdParam, body: jsonBody(OutlineInput) }, responses: { 200: json(AdminCourseDetail, "The reordered course"), ...errors } });
const grant = createRoute({ ...adminPost, path: "/api/admin/courses/{id}/grants", summary: "Give a member the course (赠送); an active grant stays as it is", request: { headers: IdempotencyKeyHeader, params: CourseIdParam, body: jsonBody(GrantInput) }, responses: { 200: json(Grant, "The member's grant"), ...errors } });
const revoke = createRoute({
  ...admin,
  method: "delete",
  path: "/api/admin/courses/{id}/grants/{memberId}",
  summary: "Take back an admin or tier grant (bought courses are taken back by refunding the order)",
  request: { params: CourseIdParam.extend({ memberId: z.string().min(1).max(64).openapi({ param: { name: "memberId", in: "path" } }) }) },
  responses: { 204: { description: "Revoked" }, ...problemResponses(401, 403, 404, 409, 422) },
});

const mediaContent = Object.fromEntries(
  Object.values(MEDIA_TYPES).flat().map((type) => [type, { schema: z.string().openapi({ format: "binary" }) }]),
);
const uploadMedia = createRoute({
  ...admin,
  method: "put",
  path: "/api/admin/lessons/{id}/media",
  summary: "Upload the lesson's media as the raw request body",
  description: `Content-Type must suit the lesson kind (video: ${MEDIA_TYPES.video.join(", ")}; audio: ${MEDIA_TYPES.audio.join(", ")}; article: ${MEDIA_TYPES.article.join(", ")}); Content-Length is required and limited by MEDIA_MAX_BYTES.`,
  request: { params: LessonIdParam, body: { required: true, content: mediaContent } },
  responses: {
    200: json(AdminLesson, "Stored; signed links to any previous upload stop working"),
    ...problemResponses(400, 401, 403, 404, 411, 413, 415, 422),
  },
});

/** Every write below records an audit_log row in the same D1 batch as the change (see ./audit.ts). */
export const courseAdminRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listAllCourses(c.var.db, c.req.valid("query")), 200))
  .openapi(outline, async (c) => c.json(await courseOutline(c.var.db, c.req.valid("param").id), 200))
  .openapi(create, async (c) => c.json(await createCourse(c.var.db, actorOf(c), c.req.valid("json")), 201))
  .openapi(update, async (c) => c.json(await updateCourse(c.var.db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(publish, async (c) => c.json(await publishCourse(c.var.db, actorOf(c), c.req.valid("param").id), 200))
  .openapi(unpublish, async (c) => c.json(await unpublishCourse(c.var.db, actorOf(c), c.req.valid("param").id), 200))
  .openapi(newChapter, async (c) => c.json(await addChapter(c.var.db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201))
  .openapi(editChapter, async (c) => c.json(await updateChapter(c.var.db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(newLesson, async (c) => c.json(await addLesson(c.var.db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 201))
  .openapi(editLesson, async (c) => {
    const { lesson, orphanedMediaKey } = await updateLesson(c.var.db, actorOf(c), c.req.valid("param").id, c.req.valid("json"));
    if (orphanedMediaKey) await c.env.MEDIA.delete(orphanedMediaKey);
    return c.json(lesson, 200);
  })
  .openapi(reorder, async (c) => c.json(await reorderOutline(c.var.db, actorOf(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(grant, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await grantByAdmin(c.var.db, actorOf(c), id, c.req.valid("json").memberId), 200);
  })
  .openapi(revoke, async (c) => {
    const { id, memberId } = c.req.valid("param");
    await revokeByAdmin(c.var.db, actorOf(c), id, memberId);
    return c.body(null, 204);
  })
  .openapi(uploadMedia, async (c) => {
    const maxBytes = Number(c.env.MEDIA_MAX_BYTES) || 100_000_000;
    return c.json(await uploadLessonMedia(c.var.db, actorOf(c), c.env.MEDIA, maxBytes, c.req.valid("param").id, c.req.raw), 200);
  });
