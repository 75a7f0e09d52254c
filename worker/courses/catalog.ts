import { and, asc, eq, gt, or, sql, type SQL } from "drizzle-orm";
import { chapters, courses, lessonProgress, lessons } from "../../schema";
import type { Identity } from "../http/auth";
import { authorityQuery, principalFrom } from "../http/authority";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { activeGrantQuery, allAccessTiersQuery, decideAccess, parseAllAccessTiers } from "./access";
import { decodeCourseCursor, page } from "./cursor";

/** Columns of a course card; lesson counts come from `lessons_course_idx`, bounded by the page size. */
export const courseSummaryColumns = {
  id: courses.id,
  title: courses.title,
  subtitle: courses.subtitle,
  coverUrl: courses.coverUrl,
  instructor: courses.instructor,
  priceFen: courses.priceFen,
  sortOrder: courses.sortOrder,
  lessonCount: sql<number>`(select count(*) from lessons where lessons.course_id = courses.id)`.mapWith(Number),
  trialLessonCount: sql<number>`(select count(*) from lessons where lessons.course_id = courses.id and lessons.is_trial = 1)`.mapWith(Number),
};

/** Rows after the cursor in (sortOrder, id) order. */
export function afterCursor(cursor: string | undefined): SQL | undefined {
  const c = cursor ? decodeCourseCursor(cursor) : null;
  if (!c) return undefined;
  return or(gt(courses.sortOrder, c.sortOrder), and(eq(courses.sortOrder, c.sortOrder), gt(courses.id, c.id)));
}

export async function listPublishedCourses(db: Db, q: { limit: number; cursor?: string }) {
  const rows = await db
    .select(courseSummaryColumns)
    .from(courses)
    .where(and(eq(courses.status, "published"), afterCursor(q.cursor)))
    .orderBy(asc(courses.sortOrder), asc(courses.id))
    .limit(q.limit + 1);
  return page(rows, q.limit);
}

/**
 * One D1 round trip: the course, its outline and — for a logged-in caller — their tier (read now, not from the
 * token; a blocked member is refused), access and progress.
 */
export async function publishedCourseDetail(db: Db, courseId: string, caller: Identity | undefined) {
  const course = db
    .select({ ...courseSummaryColumns, description: courses.description })
    .from(courses)
    .where(and(eq(courses.id, courseId), eq(courses.status, "published")));
  const outline = db.select().from(chapters).where(eq(chapters.courseId, courseId)).orderBy(asc(chapters.sortOrder), asc(chapters.id));
  const lessonRows = db.select().from(lessons).where(eq(lessons.courseId, courseId)).orderBy(asc(lessons.sortOrder), asc(lessons.id));

  let found, chapterRows, allLessons;
  let access = null as ReturnType<typeof decideAccess>;
  let progress: { lessonId: string; positionSec: number; completed: boolean }[] = [];
  if (caller) {
    const [who, c, ch, ls, grant, stored, prog] = await db.batch([
      authorityQuery(db, caller.memberId),
      course,
      outline,
      lessonRows,
      activeGrantQuery(db, caller.memberId, courseId),
      allAccessTiersQuery(db),
      db
        .select({ lessonId: lessonProgress.lessonId, positionSec: lessonProgress.positionSec, completed: lessonProgress.completed })
        .from(lessonProgress)
        .where(and(eq(lessonProgress.memberId, caller.memberId), eq(lessonProgress.courseId, courseId))),
    ]);
    const { tier } = principalFrom(caller, who[0]);
    [found, chapterRows, allLessons, progress] = [c[0], ch, ls, prog];
    if (found) access = decideAccess(found, grant[0], tier, parseAllAccessTiers(stored));
  } else {
    const [c, ch, ls] = await db.batch([course, outline, lessonRows]);
    [found, chapterRows, allLessons] = [c[0], ch, ls];
  }
  if (!found) throw ApiError.notFound("No such course.");

  const progressByLesson = new Map(progress.map((p) => [p.lessonId, { positionSec: p.positionSec, completed: p.completed }]));
  return {
    ...found,
    chapters: chapterRows.map((ch) => ({
      id: ch.id,
      title: ch.title,
      sortOrder: ch.sortOrder,
      lessons: allLessons
        .filter((l) => l.chapterId === ch.id)
        .map((l) => ({
          id: l.id,
          title: l.title,
          kind: l.kind,
          durationSec: l.durationSec,
          isTrial: l.isTrial,
          hasMedia: l.mediaKey !== null,
          sortOrder: l.sortOrder,
          progress: progressByLesson.get(l.id) ?? null,
        })),
    })),
    entitled: access !== null,
    access,
  };
}
