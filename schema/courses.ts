import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A paid (or free) online course, 微课. Prices are integer fen. */
export const courses = sqliteTable(
  "courses",
  {
    id: text().primaryKey(),
    title: text().notNull(),
    subtitle: text().notNull().default(""),
    coverUrl: text().notNull().default(""),
    instructor: text().notNull().default(""),
    description: text().notNull().default(""),
    priceFen: integer().notNull(),
    status: text({ enum: ["draft", "published", "archived"] }).notNull().default("draft"),
    sortOrder: integer().notNull().default(0),
    publishedAt: integer({ mode: "timestamp_ms" }),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("courses_status_sort_idx").on(t.status, t.sortOrder, t.id)],
);

export const chapters = sqliteTable(
  "chapters",
  {
    id: text().primaryKey(),
    courseId: text().notNull(),
    title: text().notNull(),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [index("chapters_course_idx").on(t.courseId, t.sortOrder)],
);

export const lessons = sqliteTable(
  "lessons",
  {
    id: text().primaryKey(),
    courseId: text().notNull(),
    chapterId: text().notNull(),
    title: text().notNull(),
    kind: text({ enum: ["video", "audio", "article"] }).notNull(),
    /** R2 object key of the media (video/audio) or of the article body. */
    mediaKey: text(),
    /** Content type and size of the uploaded object, for clients and the admin console. */
    mediaContentType: text(),
    mediaBytes: integer(),
    durationSec: integer().notNull().default(0),
    isTrial: integer({ mode: "boolean" }).notNull().default(false),
    sortOrder: integer().notNull().default(0),
  },
  (t) => [index("lessons_chapter_idx").on(t.chapterId, t.sortOrder), index("lessons_course_idx").on(t.courseId)],
);

/** Who may learn what. Granted by a paid order, a tier, or an admin; a full refund revokes it. */
export const entitlements = sqliteTable(
  "entitlements",
  {
    memberId: text().notNull(),
    courseId: text().notNull(),
    source: text({ enum: ["order", "tier", "admin"] }).notNull(),
    orderId: text(),
    grantedAt: integer({ mode: "timestamp_ms" }).notNull(),
    revokedAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.courseId] })],
);

/** Learning progress per member and lesson. */
export const lessonProgress = sqliteTable(
  "lesson_progress",
  {
    memberId: text().notNull(),
    lessonId: text().notNull(),
    courseId: text().notNull(),
    positionSec: integer().notNull().default(0),
    completed: integer({ mode: "boolean" }).notNull().default(false),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.lessonId] }), index("lesson_progress_course_idx").on(t.memberId, t.courseId)],
);
