import type { CommissionSnapshot } from "../commissions/plan";
import { ApiError } from "../http/problem";
import { WechatPayError, wechatPayConfig } from "../wechat/pay/client";
import { jsapiPrepay, requestPaymentParams, type PayParams } from "../wechat/pay/api";
import { and, eq, getTableColumns, sql } from "drizzle-orm";
import { orders } from "../../schema";
import type { Db } from "../http/context";
import { closeOrder, closeStatements } from "./close";
import { newOrderId } from "./ids";
import { NO_COMMISSION_PLAN, PREPAY_RENEW_AFTER_MS, type OrderKind } from "./kind";
import { orderView, type OrderRow, type OrderView } from "./views";

export const PAY_NOTIFY_PATH = "/api/pay/notify";

export type PlacedOrder = { order: OrderView; payParams: PayParams; created: boolean };

/**
 * The pending order under an open key, every column as stored (an `OrderRow`), for the read batch a kind's
 * caller already runs, so `createOrder` needs no read of its own (`opts.open`).
 */
export function openOrderQuery(db: Db, openKey: string) {
  // Raw columns (snake_case names, epoch milliseconds), as `SELECT *` gives them to the orders module.
  const columns = Object.fromEntries(Object.entries(getTableColumns(orders)).map(([key, c]) => [key.replace(/[A-Z]/g, (ch) => `_${ch.toLowerCase()}`), sql`${c}`]));
  return db.select(columns).from(orders).where(and(eq(orders.openKey, openKey), eq(orders.status, "pending"))).limit(1);
}

/**
 * Places an order of `kind` for `subject` at `amountFen` (or reopens the open one under the kind's open key)
 * and returns `wx.requestPayment` parameters. The caller (the kind's module) has decided the member may buy
 * the subject at that price. One open order per key is the database's rule (a partial unique index), not a
 * read-then-write: the INSERT is `ON CONFLICT DO NOTHING` and the same batch reads back the pending order that won.
 *
 * Round trips: the open order under the key comes from the caller's read batch (`opts.open`, `openOrderQuery`;
 * read here in one statement when the caller passes none). An open order of the buyer still payable is re-signed
 * (no round trip while its prepay_id is fresh). Otherwise WeChat Pay is asked for the new order's prepay first
 * (not D1; nothing is written when it fails), then ONE batch closes the open order past its time_expire, if there
 * is one, inserts the new order with its commission snapshot and prepay_id, and reads back the order that won.
 */
export async function createOrder(
  env: Env,
  kind: OrderKind,
  buyer: { memberId: string; openid: string },
  subject: { id: string; title: string },
  amountFen: number,
  opts: { now?: Date; platform?: "ios" | "android" | "other"; commission?: CommissionSnapshot; open?: OrderRow | null } = {},
): Promise<PlacedOrder> {
  if (opts.platform === "ios" && !kind.iosAllowed) throw ApiError.conflict("ios-not-allowed", "Virtual goods cannot be paid on iOS (iOS 暂不支持购买虚拟商品).");
  if (!Number.isSafeInteger(amountFen) || amountFen <= 0) throw new ApiError(500, "bad-order-amount", `An order of ${kind.name} needs a positive amount in fen.`);
  // A commissionable kind's caller reads the buyer's uplines and the rules in the batch it already runs
  // (`uplinesQuery`, `planSettingsQuery`), so the snapshot costs the order no round trip of its own.
  // A kind that decides per order ("per-order") pays exactly when its caller passes the snapshot; one that never
  // pays refuses a snapshot, so no caller can make a crowdfunding subscription pay by mistake.
  if (kind.commissionable === true && !opts.commission) throw new ApiError(500, "commission-snapshot-missing", `An order of ${kind.name} pays commissions and needs their snapshot.`);
  if (kind.commissionable === false && opts.commission) throw new ApiError(500, "commission-not-allowed", `An order of ${kind.name} never pays commissions.`);
  const snapshot = opts.commission ?? { referrer1Id: null, referrer2Id: null, plan: null };
  const d1 = env.DB;
  const now = opts.now ?? new Date();
  const t = now.getTime();
  const openKey = kind.openKey({ memberId: buyer.memberId, subjectId: subject.id });
  const open = !openKey
    ? null
    : opts.open !== undefined
      ? opts.open
      : await d1.prepare("SELECT * FROM orders WHERE open_key = ? AND status = 'pending'").bind(openKey).first<OrderRow>();
  if (open && (open.open_key !== openKey || open.status !== "pending")) throw new ApiError(500, "open-order-mismatch", `The open order passed for ${openKey} is not the pending order under that key.`);
  if (open && open.expires_at > t) return reopened(env, open, buyer, now);
  // An open order past its time_expire can no longer be paid at WeChat: it is closed (the one close path's
  // statement) in the batch that inserts the new one. A kind that releases something on close closes it first.
  let closeStale: D1PreparedStatement[] = [];
  if (open) {
    const stale = closeStatements(d1, open, now);
    if (stale.length === 1) closeStale = stale;
    else await closeOrder(d1, open, now);
  }
  const id = newOrderId(now);
  const description = kind.description(subject);
  const expiresAt = t + kind.ttlMs;
  const prepayId = await prepay(wechatPayConfig(env), { description, outTradeNo: id, amountFen, openid: buyer.openid, timeExpire: new Date(expiresAt), notifyPath: PAY_NOTIFY_PATH });
  const results = await d1.batch([
    ...closeStale,
    d1.prepare(
      `INSERT INTO orders (id, kind, member_id, subject_id, open_key, description, amount_fen, status, expires_at, created_at, updated_at,
         referrer1_id, referrer2_id, commission_plan, prepay_id, prepaid_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    ).bind(id, kind.name, buyer.memberId, subject.id, openKey, description, amountFen, expiresAt, t, t,
      snapshot.referrer1Id, snapshot.referrer2Id, snapshot.plan ? JSON.stringify(snapshot.plan) : NO_COMMISSION_PLAN, prepayId, t),
    d1.prepare("SELECT * FROM orders WHERE id = ? OR (open_key = ? AND status = 'pending') ORDER BY id = ? DESC LIMIT 1").bind(id, openKey, id),
  ]);
  const [inserted, won] = results.slice(-2);
  const order = won.results[0] as OrderRow | undefined;
  if (!order || order.status !== "pending" || order.expires_at <= t) throw ApiError.tryAgain("order-changed", "The order changed while it was being placed; try again.");
  if (inserted.meta.changes === 1 && order.id === id) {
    return { order: orderView(order), payParams: await requestPaymentParams(wechatPayConfig(env), prepayId, t), created: true };
  }
  // A concurrent request placed the open order first: that one is answered.
  return reopened(env, order, buyer, now);
}

/** The open order found under the key: the buyer's own is re-signed; someone else's is theirs to pay. */
async function reopened(env: Env, order: OrderRow, buyer: { memberId: string; openid: string }, now: Date): Promise<PlacedOrder> {
  // A kind whose key leaves out the member (one open order per lot, whoever pays) may find someone else's order.
  if (order.member_id !== buyer.memberId) throw ApiError.conflict("order-open-for-another-member", "Someone else is paying for this right now (他人正在支付).");
  return { order: orderView(order), payParams: await payParamsFor(env, order, buyer.openid, now), created: false };
}

/** A JSAPI prepay; WeChat's ORDERPAID (the same out_trade_no already paid) is the member's 409. */
async function prepay(config: ReturnType<typeof wechatPayConfig>, r: Parameters<typeof jsapiPrepay>[1]): Promise<string> {
  try {
    return await jsapiPrepay(config, r);
  } catch (e) {
    if (e instanceof WechatPayError && e.wechatCode === "ORDERPAID") throw ApiError.conflict("order-paid", "This order is already paid; access opens in a moment.");
    throw e;
  }
}

/**
 * `wx.requestPayment` parameters for a pending order: its prepay_id re-signed, or a new prepay_id (same
 * out_trade_no) when it has none or the one it has is near the end of its 2 h life — which only an order of a
 * kind living longer than 2 h reaches.
 */
export async function payParamsFor(env: Env, order: OrderRow, openid: string, now: Date): Promise<PayParams> {
  const config = wechatPayConfig(env);
  const t = now.getTime();
  let prepayId = order.prepay_id;
  const issuedAt = order.prepaid_at ?? order.created_at;
  if (!prepayId || t - issuedAt >= PREPAY_RENEW_AFTER_MS) {
    prepayId = await prepay(config, {
      description: order.description, outTradeNo: order.id, amountFen: order.amount_fen, openid, timeExpire: new Date(order.expires_at), notifyPath: PAY_NOTIFY_PATH,
    });
    // Compare-and-set on the prepay_id read: of two concurrent requests the first stored wins and both sign it
    // (WeChat keeps every prepay_id of the same out_trade_no valid until it expires).
    const stored = await env.DB.prepare("UPDATE orders SET prepay_id = ?1, prepaid_at = ?2, updated_at = ?2 WHERE id = ?3 AND prepay_id IS ?4 RETURNING prepay_id")
      .bind(prepayId, t, order.id, order.prepay_id).first<{ prepay_id: string }>();
    if (!stored) prepayId = (await env.DB.prepare("SELECT prepay_id FROM orders WHERE id = ?").bind(order.id).first<{ prepay_id: string | null }>())?.prepay_id ?? prepayId;
  }
  return requestPaymentParams(config, prepayId!, t);
}
