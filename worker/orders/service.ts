import { authorityStatement, principalFrom, type AuthorityRow } from "../http/authority";
import { ApiError } from "../http/problem";
import { payParamsFor } from "./create";
import { decodeOrderCursor, encodeOrderCursor } from "./ids";
import type { PayParams } from "../wechat/pay/api";
import { orderView, type OrderRow, type OrderView, type RefundRow } from "./views";

/**
 * Paying again for one of the member's open orders, of any kind: the same out_trade_no, re-signed parameters,
 * and a fresh prepay_id when the order outlives its prepay_id's 2 h (kinds with a long time to live).
 */
export async function payAgain(env: Env, memberId: string, orderId: string, now = new Date()): Promise<{ order: OrderView; payParams: PayParams }> {
  const [o, m] = await env.DB.batch([
    env.DB.prepare("SELECT * FROM orders WHERE id = ? AND member_id = ?").bind(orderId, memberId),
    env.DB.prepare("SELECT openid FROM members WHERE id = ?").bind(memberId),
  ]);
  const order = o.results[0] as OrderRow | undefined;
  if (!order) throw ApiError.notFound("No such order.");
  const openid = (m.results[0] as { openid: string } | undefined)?.openid;
  if (!openid) throw ApiError.unauthorized("The member behind this token no longer exists.");
  if (order.status !== "pending") throw ApiError.conflict("order-not-payable", `Order ${order.id} is ${order.status}; only an open order can be paid (订单已支付或已关闭).`);
  if (order.expires_at <= now.getTime()) throw ApiError.conflict("order-expired", "This order's payment window has passed; place a new order (订单已过期).");
  return { order: orderView(order), payParams: await payParamsFor(env, order, openid, now) };
}

/** The member's own order with its refunds; someone else's order is "not found", not "forbidden". */
export async function getOwnOrder(db: D1Database, memberId: string, orderId: string): Promise<OrderView> {
  const [who, o, r] = await db.batch([
    authorityStatement(db, memberId),
    db.prepare("SELECT * FROM orders WHERE id = ? AND member_id = ?").bind(orderId, memberId),
    db.prepare("SELECT refunds.* FROM refunds JOIN orders ON orders.id = refunds.order_id WHERE refunds.order_id = ? AND orders.member_id = ? ORDER BY refunds.created_at").bind(orderId, memberId),
  ]);
  principalFrom({ memberId }, who.results[0] as AuthorityRow | undefined);
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
  const [who, list] = await db.batch([authorityStatement(db, memberId), stmt]);
  principalFrom({ memberId }, who.results[0] as AuthorityRow | undefined);
  const rows = list.results as OrderRow[];
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((o) => orderView(o)), nextCursor: rows.length > limit && last ? encodeOrderCursor(last.created_at, last.id) : null };
}
