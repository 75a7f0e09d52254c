import { eq } from "drizzle-orm";
import { courses, members } from "../../schema";
import { activeGrantQuery, allAccessTiersQuery, decideAccess, parseAllAccessTiers } from "../courses/access";
import type { Principal } from "../http/auth";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { WechatPayError, wechatPayConfig } from "../wechat/pay/client";
import { jsapiPrepay, requestPaymentParams, type PayParams } from "../wechat/pay/api";
import { decodeOrderCursor, encodeOrderCursor, newOrderId } from "./ids";
import { orderView, type OrderRow, type OrderView, type RefundRow } from "./views";

/** An unpaid order stays open this long (WeChat `time_expire`); a prepay_id lives 2 h, so re-signing is safe. */
export const ORDER_TTL_MS = 30 * 60_000;
export const PAY_NOTIFY_PATH = "/api/pay/notify";

/**
 * Places (or reopens) the member's order for a course and returns `wx.requestPayment` parameters.
 * One open order per member and course is the database's rule (a partial unique index), not a read-then-write:
 * the INSERT is `ON CONFLICT DO NOTHING` and the same batch reads back whichever pending order won.
 */
export async function placeOrder(env: Env, db: Db, buyer: Principal, courseId: string, now = new Date()): Promise<{ order: OrderView; payParams: PayParams; created: boolean }> {
  const d1 = env.DB;
  const memberId = buyer.memberId;
  // One round trip: the course, the buyer's openid, and what the catalog needs to decide access.
  const [course, member, grant, allAccess] = await db.batch([
    db.select({ id: courses.id, title: courses.title, priceFen: courses.priceFen, status: courses.status }).from(courses).where(eq(courses.id, courseId)),
    db.select({ openid: members.openid }).from(members).where(eq(members.id, memberId)),
    activeGrantQuery(db, memberId, courseId),
    allAccessTiersQuery(db),
  ]);
  const c = course[0];
  if (!c || c.status !== "published") throw ApiError.notFound("No such course.");
  const openid = member[0]?.openid;
  if (!openid) throw ApiError.unauthorized("The member behind this token no longer exists.");
  const access = decideAccess(c, grant[0], buyer.tier, parseAllAccessTiers(allAccess[0]));
  // Free courses need no payment and no order: the catalog opens every lesson of a course priced 0.
  if (access === "free") throw ApiError.conflict("course-free", "This course is free; no order is needed (免费课程无需购买).");
  if (access) throw ApiError.conflict("already-entitled", "You can already learn this course (已购买或会员可学).");

  const id = newOrderId(now);
  const t = now.getTime();
  const [, inserted, open] = await d1.batch([
    // An open order past its time_expire can no longer be paid at WeChat: close it so a new one can open.
    d1.prepare("UPDATE orders SET status = 'closed', closed_at = ?1, updated_at = ?1 WHERE member_id = ?2 AND course_id = ?3 AND status = 'pending' AND expires_at <= ?1")
      .bind(t, memberId, courseId),
    d1.prepare(
      `INSERT INTO orders (id, member_id, course_id, description, amount_fen, status, expires_at, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).bind(id, memberId, courseId, c.title.slice(0, 40), c.priceFen, t + ORDER_TTL_MS, t, t),
    d1.prepare("SELECT * FROM orders WHERE member_id = ? AND course_id = ? AND status = 'pending'").bind(memberId, courseId),
  ]);
  let order = open.results[0] as OrderRow | undefined;
  if (!order) throw ApiError.tryAgain("order-changed", "The order changed while it was being placed; try again.");
  const created = inserted.meta.changes === 1 && order.id === id;

  const config = wechatPayConfig(env);
  if (!order.prepay_id) {
    let prepayId: string;
    try {
      prepayId = await jsapiPrepay(config, {
        description: order.description, outTradeNo: order.id, amountFen: order.amount_fen, openid, timeExpire: new Date(order.expires_at), notifyPath: PAY_NOTIFY_PATH,
      });
    } catch (e) {
      if (e instanceof WechatPayError && e.wechatCode === "ORDERPAID") throw ApiError.conflict("order-paid", "This order is already paid; access opens in a moment.");
      throw e;
    }
    await d1.prepare("UPDATE orders SET prepay_id = ?, updated_at = ? WHERE id = ? AND prepay_id IS NULL").bind(prepayId, t, order.id).run();
    order = { ...order, prepay_id: prepayId };
  }
  return { order: orderView(order), payParams: await requestPaymentParams(config, order.prepay_id!, t), created };
}

/** The member's own order with its refunds; someone else's order is "not found", not "forbidden". */
export async function getOwnOrder(db: D1Database, memberId: string, orderId: string): Promise<OrderView> {
  const [o, r] = await db.batch([
    db.prepare("SELECT * FROM orders WHERE id = ? AND member_id = ?").bind(orderId, memberId),
    db.prepare("SELECT refunds.* FROM refunds JOIN orders ON orders.id = refunds.order_id WHERE refunds.order_id = ? AND orders.member_id = ? ORDER BY refunds.created_at").bind(orderId, memberId),
  ]);
  const order = o.results[0] as OrderRow | undefined;
  if (!order) throw ApiError.notFound("No such order.");
  return orderView(order, r.results as RefundRow[]);
}

/** Newest first, keyset-paginated on (created_at, id) so each page reads at most `limit + 1` rows. */
export async function listOwnOrders(db: D1Database, memberId: string, limit: number, cursor?: string): Promise<{ items: OrderView[]; nextCursor: string | null }> {
  let stmt: D1PreparedStatement;
  if (cursor) {
    const at = decodeOrderCursor(cursor);
    if (!at) throw ApiError.validation([{ path: "cursor", message: "Invalid cursor." }]);
    stmt = db.prepare(
      `SELECT * FROM orders WHERE member_id = ?1 AND (created_at < ?2 OR (created_at = ?2 AND id < ?3))
       ORDER BY created_at DESC, id DESC LIMIT ?4`,
    ).bind(memberId, at.createdAtMs, at.id, limit + 1);
  } else {
    stmt = db.prepare("SELECT * FROM orders WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT ?").bind(memberId, limit + 1);
  }
  const rows = (await stmt.all<OrderRow>()).results;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((o) => orderView(o)), nextCursor: rows.length > limit && last ? encodeOrderCursor(last.created_at, last.id) : null };
}
