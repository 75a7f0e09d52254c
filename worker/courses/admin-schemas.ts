import { z } from "@hono/zod-openapi";
import { CourseFields, LESSON_KINDS } from "./schemas";
import { pageOf } from "../http/cursor";

const title = z.string().trim().min(1).max(100);
const sortOrder = z.number().int().min(-1_000_000).max(1_000_000);

/** A cover uploaded from the console: the public route serving it (worker/courses/covers.ts), named by its content hash. */
export const COVER_PATH = /^\/media\/covers\/[0-9a-f]{64}\.(png|jpg|webp)$/;

const courseFields = {
  title,
  subtitle: z.string().trim().max(200),
  coverUrl: z.union([z.string().url().max(500), z.string().regex(COVER_PATH), z.literal("")]).openapi({
    description: "An absolute image URL, or the path of a cover uploaded from the console (`/media/covers/<sha256>.<ext>`, served by this API), or empty.",
  }),
  instructor: z.string().trim().max(60),
  description: z.string().max(10_000),
  // Up to ¥100,000; integer fen only.
  priceFen: z.number().int().min(0).max(10_000_000).openapi({ example: 19900 }),
  sortOrder,
};

const atLeastOne = (o: object) => Object.keys(o).length > 0;

export const CourseInput = z
  .object({ ...courseFields, subtitle: courseFields.subtitle.default(""), coverUrl: courseFields.coverUrl.default(""), instructor: courseFields.instructor.default(""), description: courseFields.description.default(""), sortOrder: sortOrder.default(0) })
  .strict()
  .openapi("CourseInput");
export const CoursePatch = z.object(courseFields).partial().strict().refine(atLeastOne, "Change at least one field.").openapi("CoursePatch");

export const ChapterInput = z.object({ title, sortOrder: sortOrder.optional() }).strict().openapi("ChapterInput");
export const ChapterPatch = z.object({ title, sortOrder }).partial().strict().refine(atLeastOne, "Change at least one field.").openapi("ChapterPatch");

const lessonFields = {
  title,
  kind: z.enum(LESSON_KINDS),
  durationSec: z.number().int().min(0).max(24 * 60 * 60),
  isTrial: z.boolean(),
  sortOrder,
};
export const LessonInput = z
  .object({ ...lessonFields, durationSec: lessonFields.durationSec.default(0), isTrial: lessonFields.isTrial.default(false), sortOrder: sortOrder.optional() })
  .strict()
  .openapi("LessonInput");
export const LessonPatch = z
  .object({ ...lessonFields, chapterId: z.string().min(1).max(64).openapi({ description: "Move to another chapter of the same course." }) })
  .partial()
  .strict()
  .refine(atLeastOne, "Change at least one field.")
  .openapi("LessonPatch");

export const AdminCourse = CourseFields.extend({
  description: z.string(),
  status: z.enum(["draft", "published", "archived"]),
  publishedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
}).openapi("AdminCourse");

export const AdminChapter = z.object({ id: z.string(), courseId: z.string(), title: z.string(), sortOrder: z.number().int() }).openapi("AdminChapter");

export const AdminLesson = z
  .object({
    id: z.string(),
    courseId: z.string(),
    chapterId: z.string(),
    title: z.string(),
    kind: z.enum(LESSON_KINDS),
    durationSec: z.number().int(),
    isTrial: z.boolean(),
    sortOrder: z.number().int(),
    mediaKey: z.string().nullable(),
    mediaContentType: z.string().nullable(),
    mediaBytes: z.number().int().nullable(),
  })
  .openapi("AdminLesson");

export const AdminCourseDetail = AdminCourse.extend({
  chapters: z.array(AdminChapter.extend({ lessons: z.array(AdminLesson) })),
}).openapi("AdminCourseDetail");

export const AdminCoursePage = pageOf(AdminCourse).openapi("AdminCoursePage");

export const OutlineInput = z
  .object({
    chapters: z
      .array(z.object({ id: z.string().min(1).max(64), lessonIds: z.array(z.string().min(1).max(64)).max(500) }).strict())
      .max(200),
  })
  .strict()
  .openapi("OutlineInput", { description: "Every chapter of the course and every lesson, in the new order." });

export const GrantInput = z.object({ memberId: z.string().min(1).max(64) }).strict().openapi("GrantInput");
export const Grant = z
  .object({ memberId: z.string(), courseId: z.string(), source: z.enum(["order", "tier", "admin"]), orderId: z.string().nullable(), grantedAt: z.string() })
  .openapi("CourseGrant");
