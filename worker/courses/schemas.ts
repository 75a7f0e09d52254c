import { listLimit, pageOf, listCursor } from "../http/cursor";
import { z } from "@hono/zod-openapi";
import { decodeCourseCursor } from "./cursor";

export const LESSON_KINDS = ["video", "audio", "article"] as const;
const ACCESS = ["order", "admin", "tier", "free"] as const;

const id = z.string().min(1).max(64);
export const CourseIdParam = z.object({ id: id.openapi({ param: { name: "id", in: "path" }, example: "crs_3f1c…" }) });
export const LessonIdParam = z.object({ id: id.openapi({ param: { name: "id", in: "path" } }) });
export const ChapterIdParam = z.object({ id: id.openapi({ param: { name: "id", in: "path" } }) });

export const PageQuery = z.object({
  limit: listLimit.openapi({ param: { name: "limit", in: "query" } }),
  cursor: listCursor(decodeCourseCursor),
});

/** What every view of a course shows, members' and admins' alike. */
export const CourseFields = z.object({
  id: z.string(),
  title: z.string(),
  subtitle: z.string(),
  coverUrl: z.string().openapi({ description: "The cover image: an absolute URL, or a path on this API (`/media/covers/<sha256>.<ext>`, an uploaded cover) to resolve against the API's base URL; empty when there is none." }),
  instructor: z.string(),
  priceFen: z.number().int().openapi({ example: 19900 }),
  sortOrder: z.number().int(),
});

export const CourseSummary = CourseFields.extend({
  lessonCount: z.number().int(),
  trialLessonCount: z.number().int(),
}).openapi("CourseSummary");

export const CoursePage = pageOf(CourseSummary).openapi("CoursePage");

const LessonProgress = z.object({ positionSec: z.number().int(), completed: z.boolean() });

export const CatalogLesson = z
  .object({
    id: z.string(),
    title: z.string(),
    kind: z.enum(LESSON_KINDS),
    durationSec: z.number().int(),
    isTrial: z.boolean(),
    hasMedia: z.boolean(),
    sortOrder: z.number().int(),
    progress: LessonProgress.nullable().openapi({ description: "The caller's progress; null when anonymous or not started." }),
  })
  .openapi("CatalogLesson");

export const CourseDetail = CourseSummary.extend({
  description: z.string(),
  chapters: z.array(z.object({ id: z.string(), title: z.string(), sortOrder: z.number().int(), lessons: z.array(CatalogLesson) })),
  entitled: z.boolean().openapi({ description: "Whether the caller may learn every lesson; false when anonymous." }),
  access: z.enum(ACCESS).nullable().openapi({ description: "Why the caller is entitled: order, admin, tier (all-access tier) or free." }),
}).openapi("CourseDetail");

export const MediaLink = z
  .object({
    lessonId: z.string(),
    kind: z.enum(LESSON_KINDS),
    url: z.string().url().openapi({ description: "Signed link to the media (articles too: their body is fetched from it)." }),
    expiresAt: z.string().openapi({ description: "ISO-8601; the link answers 403 afterwards." }),
    contentType: z.string(),
    bytes: z.number().int(),
  })
  .openapi("MediaLink");

export const ProgressInput = z
  .object({ positionSec: z.number().int().min(0).max(24 * 60 * 60).openapi({ example: 95 }) })
  .strict()
  .openapi("ProgressInput");

export const ProgressRecord = z
  .object({ lessonId: z.string(), courseId: z.string(), positionSec: z.number().int(), completed: z.boolean(), updatedAt: z.string() })
  .openapi("ProgressRecord");

export const MyCourse = z
  .object({
    course: CourseSummary,
    access: z.enum(ACCESS),
    progress: z.object({
      completedLessons: z.number().int(),
      lastLessonId: z.string().nullable(),
      lastLearnedAt: z.string().nullable(),
    }),
  })
  .openapi("MyCourse");

export const MyCoursePage = pageOf(MyCourse).openapi("MyCoursePage");
