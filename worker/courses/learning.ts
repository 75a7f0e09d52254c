import { and, asc, eq, isNull, or, sql } from "drizzle-orm";
import { courses, entitlements, lessonProgress, lessons } from "../../schema";
import type { Identity } from "../http/auth";
import { authorityQuery, principalFrom } from "../http/authority";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { activeGrantForLessonQuery, allAccessTiersQuery, decideAccess, parseAllAccessTiers } from "./access";
import { afterCursor, courseSummaryColumns } from "./catalog";
import { encodeCourseCursor } from "./cursor";
import { signMediaLink } from "./media-signing";

/** A lesson counts as completed once 95% of it has been played (articles, with no duration, once opened). */
export const COMPLETED_AT_PERCENT = 95;

/** Links outlive the lesson's own length, since a player keeps range-requesting while it plays. */
export function mediaLinkTtlSec(durationSec: number) {
  return Math.min(15 * 60 + durationSec, 6 * 60 * 60);
}

/**
 * A lesson the caller may open: published course, and a trial lesson or an entitled member.
 * 404 hides unknown and unpublished lessons alike; 403 says "buy the course".
 */
export async function openLesson(db: Db, lessonId: string, caller: Identity) {
  // The caller's tier is read in the same batch (a downgraded shareholder is refused on the next request).
  const [who, rows, grant, stored] = await db.batch([
    authorityQuery(db, caller.memberId),
    db
      .select({ lesson: lessons, course: { status: courses.status, priceFen: courses.priceFen } })
      .from(lessons)
      .innerJoin(courses, eq(courses.id, lessons.courseId))
      .where(eq(lessons.id, lessonId)),
    activeGrantForLessonQuery(db, caller.memberId, lessonId),
    allAccessTiersQuery(db),
  ]);
  const { tier } = principalFrom(caller, who[0]);
  const row = rows[0];
  if (!row || row.course.status !== "published") throw ApiError.notFound("No such lesson.");
  const access = decideAccess(row.course, grant[0], tier, parseAllAccessTiers(stored));
  if (!access && !row.lesson.isTrial) throw ApiError.forbidden("This lesson is for members who have the course (购买课程后可学习).");
  return row.lesson;
}

export async function mediaLinkFor(db: Db, env: Pick<Env, "MEDIA_SIGNING_KEY">, origin: string, lessonId: string, caller: Identity, now = Date.now()) {
  const lesson = await openLesson(db, lessonId, caller);
  if (!lesson.mediaKey) throw ApiError.notFound("This lesson has no media yet.");
  const exp = Math.floor(now / 1000) + mediaLinkTtlSec(lesson.durationSec);
  const sig = await signMediaLink(env.MEDIA_SIGNING_KEY, lesson.id, lesson.mediaKey, exp);
  const url = new URL(`/media/${encodeURIComponent(lesson.id)}`, origin);
  url.searchParams.set("exp", String(exp));
  url.searchParams.set("sig", sig);
  return {
    lessonId: lesson.id,
    kind: lesson.kind,
    url: url.toString(),
    expiresAt: new Date(exp * 1000).toISOString(),
    contentType: lesson.mediaContentType ?? "application/octet-stream",
    bytes: lesson.mediaBytes ?? 0,
  };
}

export function isCompleted(positionSec: number, durationSec: number) {
  return positionSec * 100 >= durationSec * COMPLETED_AT_PERCENT;
}

/** Upserts the caller's position; once completed a lesson stays completed when rewatched. */
export async function recordProgress(db: Db, lessonId: string, caller: Identity, positionSec: number, now = new Date()) {
  const lesson = await openLesson(db, lessonId, caller);
  const position = lesson.durationSec > 0 ? Math.min(positionSec, lesson.durationSec) : positionSec;
  const completed = isCompleted(position, lesson.durationSec);
  const [row] = await db
    .insert(lessonProgress)
    .values({ memberId: caller.memberId, lessonId, courseId: lesson.courseId, positionSec: position, completed, updatedAt: now })
    .onConflictDoUpdate({
      target: [lessonProgress.memberId, lessonProgress.lessonId],
      set: { positionSec: position, completed: sql`max(${lessonProgress.completed}, excluded.completed)`, updatedAt: now },
    })
    .returning();
  return { lessonId, courseId: row.courseId, positionSec: row.positionSec, completed: row.completed, updatedAt: row.updatedAt.toISOString() };
}

/**
 * 我的课程: published courses the caller may learn — granted, all of them for an all-access tier, and free
 * ones already started — in catalog order, with progress. Two round trips: the caller's tier and the setting, then
 * the page.
 */
export async function myCourses(db: Db, caller: Identity, q: { limit: number; cursor?: string }) {
  const [who, stored] = await db.batch([authorityQuery(db, caller.memberId), allAccessTiersQuery(db)]);
  const { tier } = principalFrom(caller, who[0]);
  const allAccessTiers = parseAllAccessTiers(stored);
  const allAccess = allAccessTiers.includes(tier);
  const startedFree = sql`(courses.price_fen = 0 and exists (select 1 from lesson_progress where lesson_progress.member_id = ${caller.memberId} and lesson_progress.course_id = courses.id))`;
  const rows = await db
    .select({
      ...courseSummaryColumns,
      grant: entitlements.source,
      completedLessons: sql<number>`(select count(*) from lesson_progress where lesson_progress.member_id = ${caller.memberId} and lesson_progress.course_id = courses.id and lesson_progress.completed = 1)`.mapWith(Number),
      lastLessonId: sql<string | null>`(select lesson_id from lesson_progress where lesson_progress.member_id = ${caller.memberId} and lesson_progress.course_id = courses.id order by updated_at desc limit 1)`,
      lastLearnedAt: sql<number | null>`(select max(updated_at) from lesson_progress where lesson_progress.member_id = ${caller.memberId} and lesson_progress.course_id = courses.id)`,
    })
    .from(courses)
    .leftJoin(
      entitlements,
      and(eq(entitlements.memberId, caller.memberId), eq(entitlements.courseId, courses.id), isNull(entitlements.revokedAt)),
    )
    .where(
      and(
        eq(courses.status, "published"),
        afterCursor(q.cursor),
        allAccess ? undefined : or(sql`${entitlements.memberId} is not null`, startedFree),
      ),
    )
    .orderBy(asc(courses.sortOrder), asc(courses.id))
    .limit(q.limit + 1);

  const pageRows = rows.slice(0, q.limit);
  const last = pageRows[pageRows.length - 1];
  return {
    items: pageRows.map(({ grant, completedLessons, lastLessonId, lastLearnedAt, ...course }) => ({
      course,
      access: decideAccess(course, grant ? { source: grant } : undefined, tier, allAccessTiers) ?? ("free" as const),
      progress: {
        completedLessons,
        lastLessonId,
        lastLearnedAt: lastLearnedAt === null ? null : new Date(Number(lastLearnedAt)).toISOString(),
      },
    })),
    nextCursor: rows.length > q.limit && last ? encodeCourseCursor(last) : null,
  };
}

