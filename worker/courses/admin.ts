import { and, asc, eq, sql } from "drizzle-orm";
import type { z } from "@hono/zod-openapi";
import { chapters, courses, lessons } from "../../schema";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import type { ChapterInput, ChapterPatch, CourseInput, CoursePatch, LessonInput, LessonPatch, OutlineInput } from "./admin-schemas";
import { afterCursor } from "./catalog";
import { auditRow, type Actor } from "./audit";
import { page } from "./cursor";

type CourseRow = typeof courses.$inferSelect;
type LessonRow = typeof lessons.$inferSelect;

export function courseView(c: CourseRow) {
  return {
    ...c,
    publishedAt: c.publishedAt?.toISOString() ?? null,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function lessonView(l: LessonRow) {
  return l;
}

const newId = (prefix: string) => `${prefix}_${crypto.randomUUID().replace(/-/g, "")}`;

/** Appends after the last sibling when the admin gives no position. */
const nextChapterPosition = (courseId: string) =>
  sql<number>`(select coalesce(max(sort_order), 0) + 10 from chapters where course_id = ${courseId})`;
const nextLessonPosition = (chapterId: string) =>
  sql<number>`(select coalesce(max(sort_order), 0) + 10 from lessons where chapter_id = ${chapterId})`;

export async function listAllCourses(db: Db, q: { limit: number; cursor?: string }) {
  const rows = await db.select().from(courses).where(afterCursor(q.cursor)).orderBy(asc(courses.sortOrder), asc(courses.id)).limit(q.limit + 1);
  const { items, nextCursor } = page(rows, q.limit);
  return { items: items.map(courseView), nextCursor };
}

export async function courseOutline(db: Db, courseId: string) {
  const [found, chapterRows, lessonRows] = await db.batch([
    db.select().from(courses).where(eq(courses.id, courseId)),
    db.select().from(chapters).where(eq(chapters.courseId, courseId)).orderBy(asc(chapters.sortOrder), asc(chapters.id)),
    db.select().from(lessons).where(eq(lessons.courseId, courseId)).orderBy(asc(lessons.sortOrder), asc(lessons.id)),
  ]);
  if (!found[0]) throw ApiError.notFound("No such course.");
  return {
    ...courseView(found[0]),
    chapters: chapterRows.map((ch) => ({ ...ch, lessons: lessonRows.filter((l) => l.chapterId === ch.id).map(lessonView) })),
  };
}

async function courseRow(db: Db, courseId: string) {
  const [row] = await db.select().from(courses).where(eq(courses.id, courseId));
  if (!row) throw ApiError.notFound("No such course.");
  return row;
}

export async function createCourse(db: Db, actor: Actor, input: z.infer<typeof CourseInput>, now = new Date()) {
  const id = newId("crs");
  const [[row]] = await db.batch([
    db.insert(courses).values({ id, ...input, status: "draft", createdAt: now, updatedAt: now }).returning(),
    auditRow(db, actor, { action: "course.create", targetType: "course", targetId: id, after: input }),
  ]);
  return courseView(row);
}

/** Reads first (404, and the audit's `before`); courses are never deleted, so the row is still there for the write. */
export async function updateCourse(db: Db, actor: Actor, courseId: string, patch: z.infer<typeof CoursePatch>, now = new Date()) {
  const current = await courseRow(db, courseId);
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, current[k as keyof typeof patch]]));
  const [[row]] = await db.batch([
    db.update(courses).set({ ...patch, updatedAt: now }).where(eq(courses.id, courseId)).returning(),
    auditRow(db, actor, { action: "course.update", targetType: "course", targetId: courseId, before, after: patch }),
  ]);
  return courseView(row);
}

/** A course goes on sale only with at least one lesson. */
export async function publishCourse(db: Db, actor: Actor, courseId: string, now = new Date()) {
  const [found, lesson] = await db.batch([
    db.select().from(courses).where(eq(courses.id, courseId)),
    db.select({ id: lessons.id }).from(lessons).where(eq(lessons.courseId, courseId)).limit(1),
  ]);
  if (!found[0]) throw ApiError.notFound("No such course.");
  if (!lesson[0]) throw ApiError.conflict("course-has-no-lessons", "Add at least one lesson before publishing the course.");
  const [[row]] = await db.batch([
    db
      .update(courses)
      .set({ status: "published", publishedAt: found[0].publishedAt ?? now, updatedAt: now })
      .where(eq(courses.id, courseId))
      .returning(),
    auditRow(db, actor, { action: "course.publish", targetType: "course", targetId: courseId, before: { status: found[0].status }, after: { status: "published" } }),
  ]);
  return courseView(row);
}

/** Back to draft: hidden from the catalog and from learners; entitlements are kept for when it returns. */
export async function unpublishCourse(db: Db, actor: Actor, courseId: string, now = new Date()) {
  const current = await courseRow(db, courseId);
  const [[row]] = await db.batch([
    db.update(courses).set({ status: "draft", updatedAt: now }).where(eq(courses.id, courseId)).returning(),
    auditRow(db, actor, { action: "course.unpublish", targetType: "course", targetId: courseId, before: { status: current.status }, after: { status: "draft" } }),
  ]);
  return courseView(row);
}

export async function addChapter(db: Db, actor: Actor, courseId: string, input: z.infer<typeof ChapterInput>) {
  await courseRow(db, courseId);
  const id = newId("chp");
  const [[row]] = await db.batch([
    db.insert(chapters).values({ id, courseId, title: input.title, sortOrder: input.sortOrder ?? nextChapterPosition(courseId) }).returning(),
    auditRow(db, actor, { action: "chapter.create", targetType: "chapter", targetId: id, after: { courseId, ...input } }),
  ]);
  return row;
}

export async function updateChapter(db: Db, actor: Actor, chapterId: string, patch: z.infer<typeof ChapterPatch>) {
  const [current] = await db.select().from(chapters).where(eq(chapters.id, chapterId));
  if (!current) throw ApiError.notFound("No such chapter.");
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, current[k as keyof typeof patch]]));
  const [[row]] = await db.batch([
    db.update(chapters).set(patch).where(eq(chapters.id, chapterId)).returning(),
    auditRow(db, actor, { action: "chapter.update", targetType: "chapter", targetId: chapterId, before, after: patch }),
  ]);
  return row;
}

export async function addLesson(db: Db, actor: Actor, chapterId: string, input: z.infer<typeof LessonInput>) {
  const [chapter] = await db.select({ courseId: chapters.courseId }).from(chapters).where(eq(chapters.id, chapterId));
  if (!chapter) throw ApiError.notFound("No such chapter.");
  const id = newId("lsn");
  const [[row]] = await db.batch([
    db
      .insert(lessons)
      .values({
        id,
        courseId: chapter.courseId,
        chapterId,
        title: input.title,
        kind: input.kind,
        durationSec: input.durationSec,
        isTrial: input.isTrial,
        sortOrder: input.sortOrder ?? nextLessonPosition(chapterId),
      })
      .returning(),
    auditRow(db, actor, { action: "lesson.create", targetType: "lesson", targetId: id, after: { courseId: chapter.courseId, chapterId, ...input } }),
  ]);
  return lessonView(row);
}

export async function updateLesson(db: Db, actor: Actor, lessonId: string, patch: z.infer<typeof LessonPatch>) {
  const [current] = await db.select().from(lessons).where(eq(lessons.id, lessonId));
  if (!current) throw ApiError.notFound("No such lesson.");
  if (patch.chapterId && patch.chapterId !== current.chapterId) {
    const [target] = await db.select({ courseId: chapters.courseId }).from(chapters).where(eq(chapters.id, patch.chapterId));
    if (!target || target.courseId !== current.courseId) {
      throw ApiError.validation([{ path: "chapterId", message: "Not a chapter of this lesson's course." }]);
    }
  }
  // Changing the kind would leave media of the wrong type behind; upload again after changing it.
  const kindChanged = patch.kind !== undefined && patch.kind !== current.kind;
  const before = Object.fromEntries(Object.keys(patch).map((k) => [k, current[k as keyof typeof patch]]));
  const [[row]] = await db.batch([
    db
      .update(lessons)
      .set({ ...patch, ...(kindChanged ? { mediaKey: null, mediaContentType: null, mediaBytes: null } : {}) })
      .where(eq(lessons.id, lessonId))
      .returning(),
    auditRow(db, actor, { action: "lesson.update", targetType: "lesson", targetId: lessonId, before, after: patch }),
  ]);
  return { lesson: lessonView(row), orphanedMediaKey: kindChanged ? current.mediaKey : null };
}

/**
 * Reorders the whole outline at once (the console's drag and drop): the body must name every chapter and
 * every lesson of the course exactly once. Positions become 10, 20, …; one batch, so all or nothing.
 */
export async function reorderOutline(db: Db, actor: Actor, courseId: string, input: z.infer<typeof OutlineInput>) {
  const current = await courseOutline(db, courseId);
  const chapterIds = new Set(current.chapters.map((c) => c.id));
  const lessonIds = new Set(current.chapters.flatMap((c) => c.lessons.map((l) => l.id)));
  const errors: { path: string; message: string }[] = [];
  const seenChapters = new Set<string>();
  const seenLessons = new Set<string>();
  input.chapters.forEach((ch, i) => {
    if (!chapterIds.has(ch.id) || seenChapters.has(ch.id)) errors.push({ path: `chapters.${i}.id`, message: "Not a chapter of this course, or listed twice." });
    seenChapters.add(ch.id);
    ch.lessonIds.forEach((id, j) => {
      if (!lessonIds.has(id) || seenLessons.has(id)) errors.push({ path: `chapters.${i}.lessonIds.${j}`, message: "Not a lesson of this course, or listed twice." });
      seenLessons.add(id);
    });
  });
  if (seenChapters.size !== chapterIds.size) errors.push({ path: "chapters", message: "List every chapter of the course." });
  if (seenLessons.size !== lessonIds.size) errors.push({ path: "chapters", message: "List every lesson of the course." });
  if (errors.length) throw ApiError.validation(errors, "The outline must list this course's chapters and lessons exactly once.");

  const audit = auditRow(db, actor, { action: "course.reorder", targetType: "course", targetId: courseId, after: input });
  const moves = input.chapters.flatMap((ch, i) => [
    db.update(chapters).set({ sortOrder: (i + 1) * 10 }).where(and(eq(chapters.id, ch.id), eq(chapters.courseId, courseId))),
    ...ch.lessonIds.map((id, j) =>
      db.update(lessons).set({ chapterId: ch.id, sortOrder: (j + 1) * 10 }).where(and(eq(lessons.id, id), eq(lessons.courseId, courseId))),
    ),
  ]);
  await db.batch([audit, ...moves]);
  return courseOutline(db, courseId);
}
