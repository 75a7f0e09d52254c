import { createRoute, z } from "@hono/zod-openapi";
import { identity, optionalIdentity, requireIdentity } from "../http/auth";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter, json } from "../http/router";
import { courseAdminRoutes } from "./admin-routes";
import { serveCourseCover } from "./covers";
import { listPublishedCourses, publishedCourseDetail } from "./catalog";
import { mediaLinkFor, myCourses, recordProgress } from "./learning";
import { mediaRoutes } from "./media-routes";
import { CourseDetail, CourseIdParam, CoursePage, LessonIdParam, MediaLink, MyCoursePage, PageQuery, ProgressInput, ProgressRecord } from "./schemas";

const member = [{ bearer: [] }];

const listCourses = createRoute({
  method: "get",
  path: "/api/courses",
  tags: ["courses"],
  summary: "Published courses in catalog order",
  request: { query: PageQuery },
  responses: { 200: json(CoursePage, "A page of courses"), ...problemResponses(422) },
});

const getCourse = createRoute({
  method: "get",
  path: "/api/courses/{id}",
  tags: ["courses"],
  summary: "A published course with its chapters and lessons; `entitled` and progress for a logged-in caller",
  middleware: [optionalIdentity],
  request: { params: CourseIdParam },
  responses: { 200: json(CourseDetail, "The course"), ...problemResponses(401, 403, 404, 422) },
});

const lessonMedia = createRoute({
  method: "get",
  path: "/api/lessons/{id}/media",
  tags: ["courses"],
  summary: "A short-lived signed link to the lesson's media (video, audio or article body)",
  description: "Trial lessons for any member; every lesson for an entitled member. The link is bound to this lesson and expires.",
  middleware: [requireIdentity],
  security: member,
  request: { params: LessonIdParam },
  responses: { 200: json(MediaLink, "The signed link"), ...problemResponses(401, 403, 404, 422) },
});

const postProgress = createRoute({
  method: "post",
  path: "/api/lessons/{id}/progress",
  tags: ["courses"],
  summary: "Record learning progress (idempotent: the same position twice is the same state)",
  middleware: [requireIdentity, idempotency],
  security: member,
  request: { headers: IdempotencyKeyHeader, params: LessonIdParam, body: { required: true, content: { "application/json": { schema: ProgressInput } } } },
  responses: { 200: json(ProgressRecord, "The stored progress"), ...problemResponses(401, 403, 404, 422) },
});

const listMyCourses = createRoute({
  method: "get",
  path: "/api/me/courses",
  tags: ["courses"],
  summary: "我的课程: courses the caller may learn, with progress",
  middleware: [requireIdentity],
  security: member,
  request: { query: PageQuery },
  responses: { 200: json(MyCoursePage, "A page of the caller's courses"), ...problemResponses(401, 403, 422) },
});

const cover = createRoute({
  method: "get",
  path: "/media/covers/{file}",
  tags: ["courses"],
  summary: "A course cover uploaded from the console (public; named by its SHA-256, so cached for a year, immutable)",
  description: "What a course's `coverUrl` points at when the cover was uploaded. Revalidate with `If-None-Match` (304).",
  request: {
    params: z.object({
      file: z.string().regex(/^[0-9a-f]{64}\.(png|jpg|webp)$/).openapi({ param: { name: "file", in: "path" }, example: `${"0".repeat(64)}.png` }),
    }),
  },
  responses: {
    200: { description: "The image (image/png, image/jpeg or image/webp)", content: { "image/*": { schema: z.any() } } },
    304: { description: "Not modified" },
    ...problemResponses(404, 422),
  },
});

export const courseRoutes = createRouter()
  .openapi(cover, async (c) => serveCourseCover(c.env.MEDIA, c.req.valid("param").file, c.req.header("if-none-match")) as never)
  .openapi(listCourses, async (c) => c.json(await listPublishedCourses(c.var.db, c.req.valid("query")), 200))
  .openapi(getCourse, async (c) => c.json(await publishedCourseDetail(c.var.db, c.req.valid("param").id, c.var.identity), 200))
  .openapi(lessonMedia, async (c) => {
    const origin = new URL(c.req.url).origin;
    return c.json(await mediaLinkFor(c.var.db, c.env, origin, c.req.valid("param").id, identity(c)), 200);
  })
  .openapi(postProgress, async (c) =>
    c.json(await recordProgress(c.var.db, c.req.valid("param").id, identity(c), c.req.valid("json").positionSec), 200),
  )
  .openapi(listMyCourses, async (c) => c.json(await myCourses(c.var.db, identity(c), c.req.valid("query")), 200))
  .route("/", courseAdminRoutes)
  .route("/", mediaRoutes);
