import { eq } from "drizzle-orm";
import { courses, members } from "../../schema";
import type { Identity } from "../http/auth";
import { principalFrom } from "../http/authority";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { commissionSnapshot, planSettingsQuery, uplinesQuery } from "../commissions/plan";
import { accountId } from "../ledger/accounts";
import { transferStatements } from "../ledger/service";
import type { OrderKind } from "../orders/kind";
import { createOrder, openOrderQuery, type PlacedOrder } from "../orders/create";
import type { OrderRow } from "../orders/views";
import { activeGrantQuery, allAccessTiersQuery, decideAccess, parseAllAccessTiers } from "./access";

/**
 * A course bought by a member. Paid: the member is entitled to the course and the sale is course revenue
 * (debit wechat_clearing, credit revenue_course, `order:<id>:revenue`). Refunded in full: the access this
 * order gave is taken back; every refund reverses its part of the revenue (`refund:<refundId>`).
 */
export const courseOrderKind: OrderKind = {
  name: "course",
  ttlMs: 30 * 60_000,
  iosAllowed: false,
  commissionable: true,
  description: (course) => course.title.slice(0, 40),
  openKey: (o) => `course:${o.memberId}:${o.subjectId}`,
  onFulfilment: (d1, order, gate, now) => [
    // ON CONFLICT needs a WHERE in the SELECT (SQLite parsing rule), which the gate provides.
    d1.prepare(
      `INSERT INTO entitlements (member_id, course_id, source, order_id, granted_at, revoked_at)
       SELECT member_id, subject_id, 'order', id, ?, NULL FROM orders WHERE id = ? AND ${gate.sql}
       ON CONFLICT (member_id, course_id) DO UPDATE SET source = 'order', order_id = excluded.order_id, granted_at = excluded.granted_at, revoked_at = NULL`,
    ).bind(now.getTime(), order.id, ...gate.params),
    ...transferStatements(
      d1,
      [{ id: `order:${order.id}:revenue`, debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("revenue_course"), amountFen: order.amountFen, code: "course_sale", reference: `order:${order.id}` }],
      now,
    ),
  ],
  onRefundSettled: (d1, order, refund, gate, now) => [
    // A full refund takes the course away — only the access this order gave.
    d1.prepare(
      `UPDATE entitlements SET revoked_at = ? WHERE member_id = ? AND course_id = ? AND order_id = ? AND revoked_at IS NULL
         AND EXISTS (SELECT 1 FROM orders WHERE id = ? AND status = 'refunded') AND ${gate.sql}`,
    ).bind(now.getTime(), order.memberId, order.subjectId, order.id, order.id, ...gate.params),
    ...transferStatements(
      d1,
      [{ id: `refund:${refund.id}`, debitAccountId: accountId("revenue_course"), creditAccountId: accountId("wechat_clearing"), amountFen: refund.amountFen, code: "course_refund", reference: `order:${order.id}` }],
      now,
    ),
  ],
  onClose: () => [],
};

/**
 * Places (or reopens) the member's order for a course and returns `wx.requestPayment` parameters.
 * The course must be on sale and not already open to the member (bought, granted, free or in their tier).
 */
export async function placeCourseOrder(env: Env, db: Db, buyer: Identity, courseId: string, now = new Date()): Promise<PlacedOrder> {
  const memberId = buyer.memberId;
  // One round trip: the course, the buyer's openid and live tier (blocked members refused), what the catalog
  // needs to decide access, the buyer's uplines and commission rules for the order's commission snapshot, and
  // the buyer's open order for the course (re-signed, or closed by the batch that places the new one if expired).
  // With the prepay's id stored by the order's own INSERT, a new order costs two round trips, a repeat one.
  const openKey = courseOrderKind.openKey({ memberId, subjectId: courseId })!;
  const [course, member, grant, allAccess, uplines, commissionRules, open] = await db.batch([
    db.select({ id: courses.id, title: courses.title, priceFen: courses.priceFen, status: courses.status }).from(courses).where(eq(courses.id, courseId)),
    db.select({ openid: members.openid, tier: members.tier, roles: members.roles, blockedAt: members.blockedAt }).from(members).where(eq(members.id, memberId)),
    activeGrantQuery(db, memberId, courseId),
    allAccessTiersQuery(db),
    uplinesQuery(db, memberId),
    planSettingsQuery(db),
    openOrderQuery(db, openKey),
  ]);
  const { tier } = principalFrom(buyer, member[0]);
  const openid = member[0]!.openid;
  const c = course[0];
  if (!c || c.status !== "published") throw ApiError.notFound("No such course.");
  const access = decideAccess(c, grant[0], tier, parseAllAccessTiers(allAccess));
  // Free courses need no payment and no order: the catalog opens every lesson of a course priced 0.
  if (access === "free") throw ApiError.conflict("course-free", "This course is free; no order is needed (免费课程无需购买).");
  if (access) throw ApiError.conflict("already-entitled", "You can already learn this course (已购买或会员可学).");
  return createOrder(env, courseOrderKind, { memberId, openid }, { id: c.id, title: c.title }, c.priceFen, {
    now,
    commission: commissionSnapshot({ id: memberId, tier }, uplines[0], commissionRules),
    open: (open[0] as OrderRow | undefined) ?? null,
  });
}
