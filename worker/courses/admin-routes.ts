import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../http/context";
import { principal, requireAdmin } from "../http/auth";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { addChapter, addLesson, courseOutline, createCourse, listAllCourses, publishCourse, reorderOutline, unpublishCourse, updateChapter, updateCourse, updateLesson } from "./admin";
import { AdminChapter, AdminCourse, AdminCourseDetail, AdminCoursePage, AdminLesson, ChapterInput, ChapterPatch, CourseInput, CoursePatch, LessonInput, LessonPatch, OutlineInput } from "./admin-schemas";
import { MEDIA_TYPES, uploadLessonMedia } from "./media";
import { ChapterIdParam, CourseIdParam, LessonIdParam, PageQuery } from "./schemas";

const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });
const body = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });
const admin = { tags: ["admin · courses"], middleware: [requireAdmin], security: [{ bearer: [] }] };
const errors = problemResponses(401, 403, 404, 422);

/**
 * Every admin write is logged as one structured "admin action" line.
 * TODO(audit): when worker/admin's append-only audit log lands, write these through it instead.
 */
function audit(c: Context<AppEnv>, action: string, target: string, details?: Record<string, unknown>) {
  c.var.log.info("admin action", { action, target, adminId: principal(c).memberId, ...details });
}

const list = createRoute({ ...admin, method: "get", path: "/api/admin/courses", summary: "All courses, drafts included", request: { query: PageQuery }, responses: { 200: json(AdminCoursePage, "A page of courses"), ...errors } });
const outline = createRoute({ ...admin, method: "get", path: "/api/admin/courses/{id}", summary: "A course with its full outline and media keys", request: { params: CourseIdParam }, responses: { 200: json(AdminCourseDetail, "The course"), ...errors } });
const create = createRoute({ ...admin, method: "post", path: "/api/admin/courses", summary: "Create a course (as a draft)", request: { body: body(CourseInput) }, responses: { 201: json(AdminCourse, "Created"), ...errors } });
const update = createRoute({ ...admin, method: "patch", path: "/api/admin/courses/{id}", summary: "Update a course", request: { params: CourseIdParam, body: body(CoursePatch) }, responses: { 200: json(AdminCourse, "Updated"), ...errors } });
const publish = createRoute({ ...admin, method: "post", path: "/api/admin/courses/{id}/publish", summary: "Publish (needs at least one lesson)", request: { params: CourseIdParam }, responses: { 200: json(AdminCourse, "Published"), ...problemResponses(401, 403, 404, 409, 422) } });
const unpublish = createRoute({ ...admin, method: "post", path: "/api/admin/courses/{id}/unpublish", summary: "Take a course off the catalog (back to draft)", request: { params: CourseIdParam }, responses: { 200: json(AdminCourse, "Unpublished"), ...errors } });
const newChapter = createRoute({ ...admin, method: "post", path: "/api/admin/courses/{id}/chapters", summary: "Add a chapter (appended unless sortOrder is given)", request: { params: CourseIdParam, body: body(ChapterInput) }, responses: { 201: json(AdminChapter, "Created"), ...errors } });
const editChapter = createRoute({ ...admin, method: "patch", path: "/api/admin/chapters/{id}", summary: "Rename or reorder a chapter", request: { params: ChapterIdParam, body: body(ChapterPatch) }, responses: { 200: json(AdminChapter, "Updated"), ...errors } });
const newLesson = createRoute({ ...admin, method: "post", path: "/api/admin/chapters/{id}/lessons", summary: "Add a lesson to a chapter (appended unless sortOrder is given)", request: { params: ChapterIdParam, body: body(LessonInput) }, responses: { 201: json(AdminLesson, "Created"), ...errors } });
const editLesson = createRoute({ ...admin, method: "patch", path: "/api/admin/lessons/{id}", summary: "Update, reorder or move a lesson within its course", request: { params: LessonIdParam, body: body(LessonPatch) }, responses: { 200: json(AdminLesson, "Updated"), ...errors } });
const reorder = createRoute({ ...admin, method: "put", path: "/api/admin/courses/{id}/outline", summary: "Reorder every chapter and lesson at once (may move lessons between chapters)", request: { params: CourseIdParam, body: body(OutlineInput) }, responses: { 200: json(AdminCourseDetail, "The reordered course"), ...errors } });

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

export const courseAdminRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listAllCourses(c.var.db, c.req.valid("query")), 200))
  .openapi(outline, async (c) => c.json(await courseOutline(c.var.db, c.req.valid("param").id), 200))
  .openapi(create, async (c) => {
    const course = await createCourse(c.var.db, c.req.valid("json"));
    audit(c, "course.create", course.id, { title: course.title, priceFen: course.priceFen });
    return c.json(course, 201);
  })
  .openapi(update, async (c) => {
    const patch = c.req.valid("json");
    const course = await updateCourse(c.var.db, c.req.valid("param").id, patch);
    audit(c, "course.update", course.id, { changes: patch });
    return c.json(course, 200);
  })
  .openapi(publish, async (c) => {
    const course = await publishCourse(c.var.db, c.req.valid("param").id);
    audit(c, "course.publish", course.id);
    return c.json(course, 200);
  })
  .openapi(unpublish, async (c) => {
    const course = await unpublishCourse(c.var.db, c.req.valid("param").id);
    audit(c, "course.unpublish", course.id);
    return c.json(course, 200);
  })
  .openapi(newChapter, async (c) => {
    const chapter = await addChapter(c.var.db, c.req.valid("param").id, c.req.valid("json"));
    audit(c, "chapter.create", chapter.id, { courseId: chapter.courseId, title: chapter.title });
    return c.json(chapter, 201);
  })
  .openapi(editChapter, async (c) => {
    const patch = c.req.valid("json");
    const chapter = await updateChapter(c.var.db, c.req.valid("param").id, patch);
    audit(c, "chapter.update", chapter.id, { changes: patch });
    return c.json(chapter, 200);
  })
  .openapi(newLesson, async (c) => {
    const lesson = await addLesson(c.var.db, c.req.valid("param").id, c.req.valid("json"));
    audit(c, "lesson.create", lesson.id, { courseId: lesson.courseId, title: lesson.title, kind: lesson.kind });
    return c.json(lesson, 201);
  })
  .openapi(editLesson, async (c) => {
    const patch = c.req.valid("json");
    const { lesson, orphanedMediaKey } = await updateLesson(c.var.db, c.req.valid("param").id, patch);
    if (orphanedMediaKey) await c.env.MEDIA.delete(orphanedMediaKey);
    audit(c, "lesson.update", lesson.id, { changes: patch });
    return c.json(lesson, 200);
  })
  .openapi(reorder, async (c) => {
    const course = await reorderOutline(c.var.db, c.req.valid("param").id, c.req.valid("json"));
    audit(c, "course.reorder", course.id);
    return c.json(course, 200);
  })
  .openapi(uploadMedia, async (c) => {
    const maxBytes = Number(c.env.MEDIA_MAX_BYTES) || 100_000_000;
    const lesson = await uploadLessonMedia(c.var.db, c.env.MEDIA, maxBytes, c.req.valid("param").id, c.req.raw);
    audit(c, "lesson.media.upload", lesson.id, { contentType: lesson.mediaContentType, bytes: lesson.mediaBytes });
    return c.json(lesson, 200);
  });
