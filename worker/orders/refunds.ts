import { auditStatementIf } from "../audit/log";
import { createLogger, type Logger } from "../http/log";
import { ApiError } from "../http/problem";
import { WechatPayError, wechatPayConfig, type WechatPayConfig } from "../wechat/pay/client";
import { createRefund, type Refund } from "../wechat/pay/api";
import { commissionRefundStatements } from "../commissions/refunds";
import { refundIdFor } from "./ids";
import { paymentMismatch } from "./fulfilment";
import { paysCommissions } from "./kind";
import { orderKind } from "./kinds";
import { orderView, refundView, type OrderRow, type OrderView, type RefundRow, type RefundView } from "./views";

export const REFUND_NOTIFY_PATH = "/api/pay/refund-notify";

/**
 * Who asks, for `refunds.requested_by` and the audit log: an admin (the console user, or the admin member behind
 * a JWT) with the request, or `SYSTEM` — a module refunding on its own rule (a failed crowdfunding round…).
 */
export type RefundRequester = { adminId: string; requestId?: string } | typeof SYSTEM;
export const SYSTEM = "system" as const;

const notRefundable = (detail: string) => ApiError.conflict("refund-not-allowed", detail);

/**
 * Requests a refund of `amountFen` (default: all that remains) at WeChat Pay.
 * The reservation is one batch: the order's `refund_pending_fen` grows under a CHECK that refunded + pending
 * never exceeds the amount, and the refund row is inserted only if this batch advanced `refund_count` — so
 * two concurrent refunds can neither over-refund nor share an out_refund_no.
 */
export async function requestRefund(d1: D1Database, config: WechatPayConfig, orderId: string, amountFen: number | undefined, reason: string, by: RefundRequester, log: Logger, now = new Date()): Promise<{ refund: RefundView; order: OrderView }> {
  const actor = by === SYSTEM ? { actorId: SYSTEM, actorKind: "system" as const } : { actorId: by.adminId, actorKind: "admin" as const, requestId: by.requestId };
  const order = await d1.prepare("SELECT * FROM orders WHERE id = ?").bind(orderId).first<OrderRow>();
  if (!order) throw ApiError.notFound("No such order.");
  if (order.status !== "paid" && order.status !== "refunding") throw notRefundable(`Order ${order.id} is ${order.status}; only paid orders can be refunded.`);
  const remaining = order.amount_fen - order.refunded_fen - order.refund_pending_fen;
  const amount = amountFen ?? remaining;
  if (amount <= 0 || amount > remaining) throw ApiError.conflict("refund-exceeds-refundable", `At most ${remaining} fen of order ${order.id} can still be refunded.`);

  const seq = order.refund_count + 1;
  const refundId = refundIdFor(order.id, seq);
  const t = now.getTime();
  let inserted: D1Result;
  try {
    [, inserted] = await d1.batch([
      d1.prepare(
        `UPDATE orders SET status = 'refunding', refund_pending_fen = refund_pending_fen + ?1, refund_count = refund_count + 1, updated_at = ?2
         WHERE id = ?3 AND status IN ('paid', 'refunding') AND refund_count = ?4`,
      ).bind(amount, t, order.id, order.refund_count),
      d1.prepare(
        `INSERT INTO refunds (id, order_id, amount_fen, reason, status, requested_by, created_at)
         SELECT ?1, ?2, ?3, ?4, 'processing', ?5, ?6 WHERE EXISTS (SELECT 1 FROM orders WHERE id = ?2 AND refund_count = ?7)`,
      ).bind(refundId, order.id, amount, reason, actor.actorId, t, seq),
      // Audited in the same batch, and only if this batch inserted the refund row (same id, time and requester).
      auditStatementIf(d1, {
        ...actor, action: "order.refund_requested", targetType: "order", targetId: order.id,
        before: { status: order.status, refundedFen: order.refunded_fen, refundingFen: order.refund_pending_fen },
        after: { refundId, amountFen: amount, reason },
      }, "EXISTS (SELECT 1 FROM refunds WHERE id = ? AND created_at = ? AND requested_by = ?)", refundId, t, actor.actorId),
    ]);
  } catch (e) {
    // CHECK (refunded + pending <= amount) or a concurrent refund that took the same out_refund_no.
    log.warn("refund reservation refused", { orderId: order.id, error: String(e) });
    if (/CHECK constraint/i.test(String(e))) throw ApiError.tryAgain("refund-exceeds-refundable", `Order ${order.id} cannot be refunded that much any more; reload and try again.`);
    throw ApiError.tryAgain("refund-in-progress", "Another refund of this order was requested at the same time; reload and try again.");
  }
  if (inserted.meta.changes !== 1) throw ApiError.tryAgain("refund-not-allowed", `Order ${order.id} changed while the refund was being requested; reload and try again.`);

  let wechat: Refund | null = null;
  try {
    wechat = await createRefund(config, { outTradeNo: order.id, outRefundNo: refundId, reason, refundFen: amount, totalFen: order.amount_fen, notifyPath: REFUND_NOTIFY_PATH });
  } catch (e) {
    if (e instanceof WechatPayError && e.httpStatus >= 400 && e.httpStatus < 500 && e.wechatCode !== "UNVERIFIED_RESPONSE") {
      // WeChat definitely refused it: give the reservation back.
      await releaseRefund(d1, refundId, "closed", now);
      throw new ApiError(502, "upstream-error", `WeChat Pay refused the refund: ${e.wechatCode}.`);
    }
    // Unknown outcome: the refund stays processing; the refund job asks WeChat and resends the same out_refund_no.
    log.warn("refund outcome unknown; left processing", { refundId, error: String(e) });
  }
  if (wechat) await d1.prepare("UPDATE refunds SET wechat_refund_id = ? WHERE id = ? AND wechat_refund_id IS NULL").bind(wechat.refund_id, refundId).run();
  log.info("refund requested", { orderId: order.id, refundId, amountFen: amount });
  const [o, r] = await d1.batch([
    d1.prepare("SELECT * FROM orders WHERE id = ?").bind(order.id),
    d1.prepare("SELECT * FROM refunds WHERE id = ?").bind(refundId),
  ]);
  return { order: orderView(o.results[0] as OrderRow), refund: refundView(r.results[0] as RefundRow) };
}

/**
 * A refund started by a module, not an admin (a failed crowdfunding round, a released auction deposit): the same
 * reservation, WeChat request and tracking as an admin's refund, audited as actor `system`, shown in the console.
 */
export function startSystemRefund(env: Env, orderId: string, amountFen: number | undefined, reason: string, now = new Date()) {
  return requestRefund(env.DB, wechatPayConfig(env), orderId, amountFen, reason, SYSTEM, createLogger({ refund: "system", orderId }), now);
}

type RefundResource = { mchid?: string; out_trade_no?: string; out_refund_no?: string; refund_id?: string; refund_status?: string; amount?: { refund?: number; total?: number } };
type RefundJoin = RefundRow & { kind: string; member_id: string; subject_id: string; order_amount_fen: number; commission_plan: string };

/** Applies a verified REFUND.* outcome (notification or signed query answer) once. */
export async function settleRefund(d1: D1Database, config: WechatPayConfig, r: RefundResource, log: Logger, now = new Date()): Promise<"settled" | "already" | "released" | "abnormal"> {
  const refund = await d1
    .prepare("SELECT refunds.*, orders.kind, orders.member_id, orders.subject_id, orders.amount_fen AS order_amount_fen, orders.commission_plan FROM refunds JOIN orders ON orders.id = refunds.order_id WHERE refunds.id = ?")
    .bind(String(r.out_refund_no ?? ""))
    .first<RefundJoin>();
  if (!refund) throw paymentMismatch(`No refund ${String(r.out_refund_no).slice(0, 40)}.`);
  const problems = [
    r.mchid !== config.mchid && "mchid",
    r.out_trade_no !== refund.order_id && "out_trade_no",
    r.amount?.refund !== refund.amount_fen && "amount",
    r.amount?.total !== undefined && r.amount.total !== refund.order_amount_fen && "total",
  ].filter(Boolean);
  if (problems.length > 0) {
    log.warn("refund outcome does not match its refund; nothing written", { refundId: refund.id, fields: problems });
    throw paymentMismatch(`The refund's ${problems.join(", ")} do not match refund ${refund.id}.`);
  }
  if (r.refund_status === "CLOSED") return (await releaseRefund(d1, refund.id, "closed", now)) ? "released" : "already";
  // ABNORMAL: the money has left the merchant account and waits at WeChat until we apply-abnormal-refund.
  // It stays reserved (no second refund of the same money) and not final (SUCCESS or CLOSED may follow).
  if (r.refund_status === "ABNORMAL") return (await markRefundAbnormal(d1, refund.id, r.refund_id, log)) ? "abnormal" : "already";
  if (r.refund_status !== "SUCCESS") return "already"; // still processing: nothing to do yet
  if (refund.status === "succeeded") return "already";
  if (refund.status !== "processing" && refund.status !== "abnormal") throw ApiError.conflict("refund-already-closed", `Refund ${refund.id} was already ${refund.status}.`);

  const settlementId = crypto.randomUUID();
  const t = now.getTime();
  const mine = "EXISTS (SELECT 1 FROM refunds WHERE id = ?1 AND settlement_id = ?2)";
  const gate = { sql: "EXISTS (SELECT 1 FROM refunds WHERE id = ? AND settlement_id = ?)", params: [refund.id, settlementId] };
  const kind = orderKind(refund.kind);
  const a = refund.amount_fen;
  // Commissions this order paid are cancelled or clawed back pro rata, in this same batch.
  const commissionStatements = paysCommissions(kind, { commissionPlan: refund.commission_plan })
    ? await commissionRefundStatements(d1, { id: refund.order_id, memberId: refund.member_id }, { id: refund.id, amountFen: a }, gate, now)
    : [];
  try {
    await d1.batch([
      d1.prepare(`UPDATE refunds SET status = 'succeeded', wechat_refund_id = ?3, settlement_id = ?2, settled_at = ?4 WHERE id = ?1 AND status IN ('processing', 'abnormal')`)
        .bind(refund.id, settlementId, r.refund_id ?? refund.wechat_refund_id ?? "", t),
      // SET expressions all see the old row, so the CASE is computed from the values before this refund.
      d1.prepare(
        `UPDATE orders SET refunded_fen = refunded_fen + ?3, refund_pending_fen = refund_pending_fen - ?3,
           status = CASE WHEN refunded_fen + ?3 = amount_fen THEN 'refunded' WHEN refund_pending_fen - ?3 > 0 THEN 'refunding' ELSE 'paid' END,
           updated_at = ?4
         WHERE id = ?5 AND ${mine}`,
      ).bind(refund.id, settlementId, a, t, refund.order_id),
      ...kind.onRefundSettled(d1, { id: refund.order_id, memberId: refund.member_id, subjectId: refund.subject_id, amountFen: refund.order_amount_fen }, { id: refund.id, amountFen: a }, gate, now),
      ...commissionStatements,
      d1.prepare(`INSERT INTO pay_settlements (id, order_id, wechat_id, gate, created_at) SELECT 'refund:' || ?1, ?3, ?4, ${mine}, ?5`)
        .bind(refund.id, settlementId, refund.order_id, r.refund_id ?? "", t),
    ]);
  } catch (e) {
    const again = await d1.prepare("SELECT status FROM refunds WHERE id = ?").bind(refund.id).first<{ status: string }>();
    if (again?.status === "succeeded") return "already";
    throw e;
  }
  log.info("refund settled", { refundId: refund.id, orderId: refund.order_id, amountFen: a });
  return "settled";
}

/** Marks a processing refund abnormal; its reservation stays. */
async function markRefundAbnormal(d1: D1Database, refundId: string, wechatRefundId: string | undefined, log: Logger): Promise<boolean> {
  const res = await d1.prepare("UPDATE refunds SET status = 'abnormal', wechat_refund_id = coalesce(wechat_refund_id, ?2) WHERE id = ?1 AND status = 'processing'")
    .bind(refundId, wechatRefundId ?? null).run();
  if (res.meta.changes === 1) log.warn("refund abnormal at WeChat; waiting for apply-abnormal-refund", { refundId });
  return res.meta.changes === 1;
}

/** Ends a refund that did not happen (closed at WeChat, refused) and gives its reservation back; once. */
export async function releaseRefund(d1: D1Database, refundId: string, status: "closed", now = new Date()): Promise<boolean> {
  const settlementId = crypto.randomUUID();
  const t = now.getTime();
  const [released] = await d1.batch([
    d1.prepare("UPDATE refunds SET status = ?3, settlement_id = ?2, settled_at = ?4 WHERE id = ?1 AND status IN ('processing', 'abnormal')").bind(refundId, settlementId, status, t),
    d1.prepare(
      `UPDATE orders SET refund_pending_fen = refund_pending_fen - r.amount_fen,
         status = CASE WHEN refund_pending_fen - r.amount_fen > 0 THEN 'refunding' WHEN refunded_fen = orders.amount_fen THEN 'refunded' ELSE 'paid' END,
         updated_at = ?3
       FROM (SELECT order_id, amount_fen FROM refunds WHERE id = ?1 AND settlement_id = ?2) AS r
       WHERE orders.id = r.order_id`,
    ).bind(refundId, settlementId, t),
  ]);
  return released.meta.changes === 1;
}
