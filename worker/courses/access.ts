import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { courses, entitlements, lessons } from "../../schema";
import type { Tier } from "../http/auth";
import type { Db } from "../http/context";
import { settingsQuery, settingValue, type StoredSetting } from "../settings/read";
import { allAccessTiers } from "./settings";

/**
 * Who may learn a course, in order of precedence:
 * - an active entitlement row (bought by an order, granted by an admin or by a tier), not revoked;
 * - a tier listed in the `courses.allAccessTiers` setting (default: shareholders, 股东合伙人);
 * - a free course (priceFen = 0) is open to every logged-in member.
 */
export type CourseAccess = "order" | "admin" | "tier" | "free";

/** The setting's row, for use inside a batch (worker/courses/settings.ts declares it). */
export function allAccessTiersQuery(db: Db) {
  return settingsQuery(db, [allAccessTiers]);
}

/** A malformed setting falls back to the default rather than opening (or closing) every course. */
export function parseAllAccessTiers(rows: readonly StoredSetting[] | undefined): readonly Tier[] {
  return settingValue(allAccessTiers, rows);
}

/** The member's active grant for a course (by id), for use inside a batch. */
export function activeGrantQuery(db: Db, memberId: string, courseId: string) {
  return db
    .select({ source: entitlements.source })
    .from(entitlements)
    .where(and(eq(entitlements.memberId, memberId), eq(entitlements.courseId, courseId), isNull(entitlements.revokedAt)));
}

/** The member's active grant for the course a lesson belongs to, so one batch needs no prior lookup. */
export function activeGrantForLessonQuery(db: Db, memberId: string, lessonId: string) {
  return db
    .select({ source: entitlements.source })
    .from(entitlements)
    .where(
      and(
        eq(entitlements.memberId, memberId),
        inArray(entitlements.courseId, db.select({ courseId: lessons.courseId }).from(lessons).where(eq(lessons.id, lessonId))),
        isNull(entitlements.revokedAt),
      ),
    );
}

export function decideAccess(
  course: { priceFen: number },
  grant: { source: "order" | "admin" | "tier" } | undefined,
  tier: Tier,
  allAccessTiers: readonly Tier[],
): CourseAccess | null {
  if (grant) return grant.source;
  if (allAccessTiers.includes(tier)) return "tier";
  if (course.priceFen === 0) return "free";
  return null;
}

/**
 * Whether a member may learn a course (one D1 round trip). Other modules call this, e.g. orders to refuse
 * selling a course the buyer already has. `tier` is the caller's tier as read from D1 on this request (never a token claim).
 * Publish state is not considered here: routes that serve learners hide unpublished courses themselves.
 */
export async function isEntitled(db: Db, memberId: string, tier: Tier, courseId: string): Promise<boolean> {
  return (await courseAccess(db, memberId, tier, courseId)) !== null;
}

export async function courseAccess(db: Db, memberId: string, tier: Tier, courseId: string): Promise<CourseAccess | null> {
  const [course, grant, stored] = await db.batch([
    db.select({ priceFen: courses.priceFen }).from(courses).where(eq(courses.id, courseId)),
    activeGrantQuery(db, memberId, courseId),
    allAccessTiersQuery(db),
  ]);
  if (!course[0]) return null;
  return decideAccess(course[0], grant[0], tier, parseAllAccessTiers(stored));
}

/**
 * For the orders module's fulfilment batch: grants the course bought by `orderId`, or grants it again after an
 * earlier refund. Returns a statement to put in the same `db.batch([...])` as the order update.
 */
export function grantCourseForOrder(db: Db, g: { memberId: string; courseId: string; orderId: string; now: Date }) {
  return db
    .insert(entitlements)
    .values({ memberId: g.memberId, courseId: g.courseId, source: "order", orderId: g.orderId, grantedAt: g.now })
    .onConflictDoUpdate({
      target: [entitlements.memberId, entitlements.courseId],
      set: { source: "order", orderId: g.orderId, grantedAt: g.now, revokedAt: null },
    });
}

/** For a full refund: revokes the grant made by that order only (a later re-purchase or admin grant stays). */
export function revokeCourseForOrder(db: Db, r: { memberId: string; courseId: string; orderId: string; now: Date }) {
  return db
    .update(entitlements)
    .set({ revokedAt: r.now })
    .where(
      and(
        eq(entitlements.memberId, r.memberId),
        eq(entitlements.courseId, r.courseId),
        eq(entitlements.orderId, r.orderId),
        isNull(entitlements.revokedAt),
      ),
    );
}

/** An admin's grant (a gift, a comp, a fix); it replaces any revoked row and leaves an active one as it is. */
export function grantCourseByAdmin(db: Db, g: { memberId: string; courseId: string; now: Date }) {
  return db
    .insert(entitlements)
    .values({ memberId: g.memberId, courseId: g.courseId, source: "admin", grantedAt: g.now })
    .onConflictDoUpdate({
      target: [entitlements.memberId, entitlements.courseId],
      set: { source: "admin", orderId: null, grantedAt: g.now, revokedAt: null },
      setWhere: sql`${entitlements.revokedAt} is not null`,
    });
}
