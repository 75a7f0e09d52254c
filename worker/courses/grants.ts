import { and, eq, isNull } from "drizzle-orm";
import { courses, entitlements, members } from "../../schema";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { grantCourseByAdmin } from "./access";
import { auditRow, type Actor } from "./audit";

/**
 * Admin grants (赠送课程). Grants that came from an order are taken back only by refunding that order,
 * so the ledger and the entitlement never disagree; an admin revokes only admin or tier grants.
 * Audited against the member, so the console's member page shows them.
 */
export async function grantByAdmin(db: Db, actor: Actor, courseId: string, memberId: string, now = new Date()) {
  const [course, member] = await db.batch([
    db.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId)),
    // Existence only; the members module owns the row.
    db.select({ id: members.id }).from(members).where(eq(members.id, memberId)),
  ]);
  if (!course[0]) throw ApiError.notFound("No such course.");
  if (!member[0]) throw ApiError.validation([{ path: "memberId", message: "No such member." }]);
  const [, rows] = await db.batch([
    grantCourseByAdmin(db, { memberId, courseId, now }),
    db.select().from(entitlements).where(and(eq(entitlements.memberId, memberId), eq(entitlements.courseId, courseId))),
    auditRow(db, actor, { action: "course.grant", targetType: "member", targetId: memberId, after: { courseId } }),
  ]);
  const row = rows[0];
  return { memberId, courseId, source: row.source, orderId: row.orderId, grantedAt: row.grantedAt.toISOString() };
}

export async function revokeByAdmin(db: Db, actor: Actor, courseId: string, memberId: string, now = new Date()) {
  const active = and(eq(entitlements.memberId, memberId), eq(entitlements.courseId, courseId), isNull(entitlements.revokedAt));
  const [held] = await db.select({ source: entitlements.source }).from(entitlements).where(active);
  if (!held) throw ApiError.notFound("The member holds no active grant for this course.");
  if (held.source === "order") throw ApiError.conflict("granted-by-order", "This course was bought; refund the order instead.");
  await db.batch([
    // Still guarded by source: a purchase landing in between is not revoked.
    db.update(entitlements).set({ revokedAt: now }).where(and(active, eq(entitlements.source, held.source))),
    auditRow(db, actor, { action: "course.revoke", targetType: "member", targetId: memberId, before: { courseId, source: held.source } }),
  ]);
}
