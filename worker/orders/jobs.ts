import type { Logger } from "../http/log";
import { createLogger } from "../http/log";
import { WechatPayError, wechatPayConfig, type WechatPayConfig } from "../wechat/pay/client";
import { closeTransaction, createRefund, queryRefund, queryTransaction } from "../wechat/pay/api";
import { closeOrder } from "./close";
import { fulfilPayment } from "./fulfilment";
import { REFUND_NOTIFY_PATH, releaseRefund, settleRefund } from "./refunds";
import type { OrderRow, RefundRow } from "./views";
import { after, afterParams, walkBacklog } from "../scheduling/cursor";

/** A notification later than this is overdue: ask WeChat instead of waiting. */
export const NOTIFICATION_GRACE_MS = 5 * 60_000;

/** How much of each backlog one run handles: `chunks` reads of `chunkSize` rows (each row is a WeChat call or two). */
export type OverdueBudget = { chunkSize: number; chunks: number };
const BUDGET: OverdueBudget = { chunkSize: 25, chunks: 4 };

/**
 * Scheduled settlement (cron, every 5 minutes): orders whose payment notification never came are settled by
 * querying WeChat; unpaid orders past their expiry are closed at WeChat and here; refunds whose outcome is
 * unknown are queried (and resent with the same out_refund_no if WeChat never received them).
 * Bounded: each backlog is walked oldest first in chunks, a few per run, each run carrying on where the last one
 * stopped (`walkBacklog`) — unpaid orders still inside their time to live and refunds WeChat is still processing
 * stay in the backlog, and must not hold up the payments and refunds behind them.
 */
export async function settleOverduePayments(env: Env, now = new Date(), log: Logger = createLogger({ job: "settle-overdue-payments" }), budget: OverdueBudget = BUDGET) {
  const config = wechatPayConfig(env);
  const d1 = env.DB;
  const cutoff = now.getTime() - NOTIFICATION_GRACE_MS;
  const summary = { paid: 0, closed: 0, refundsSettled: 0, refundsReleased: 0, refundsResent: 0, refundsAbnormal: 0, failed: 0 };
  await walkBacklog<OrderRow>(d1, "settle-overdue-payments:orders", budget, (o) => o.created_at,
    async (from, limit) => (await d1.prepare(`SELECT * FROM orders WHERE status = 'pending' AND created_at <= ? AND ${after("created_at")} ORDER BY created_at, id LIMIT ?`)
      .bind(cutoff, ...afterParams(from), limit).all<OrderRow>()).results,
    async (order) => {
      try {
        const outcome = await settleOrder(d1, config, order, now, log);
        if (outcome) summary[outcome]++;
      } catch (e) {
        summary.failed++;
        log.error("order settlement failed", { orderId: order.id, error: String(e) });
      }
    }, now);
  await walkBacklog<RefundRow>(d1, "settle-overdue-payments:refunds", budget, (r) => r.created_at,
    async (from, limit) => (await d1.prepare(`SELECT * FROM refunds WHERE status = 'processing' AND created_at <= ? AND ${after("created_at")} ORDER BY created_at, id LIMIT ?`)
      .bind(cutoff, ...afterParams(from), limit).all<RefundRow>()).results,
    async (refund) => {
      try {
        const outcome = await settleRefundByQuery(d1, config, refund, now, log);
        if (outcome) summary[outcome]++;
      } catch (e) {
        summary.failed++;
        log.error("refund settlement failed", { refundId: refund.id, error: String(e) });
      }
    }, now);
  log.info("overdue payments settled", summary);
  return summary;
}

async function settleOrder(d1: D1Database, config: WechatPayConfig, order: OrderRow, now: Date, log: Logger): Promise<"paid" | "closed" | null> {
  const tx = order.prepay_id ? await queryTransaction(config, order.id) : null;
  if (tx && (tx.trade_state === "SUCCESS" || tx.trade_state === "REFUND")) {
    await fulfilPayment(d1, config, tx, log, now);
    return "paid";
  }
  if (now.getTime() < order.expires_at) return null;
  if (tx && tx.trade_state !== "CLOSED") {
    try {
      await closeTransaction(config, order.id);
    } catch (e) {
      // Paid in the last moment: settle it as paid instead.
      if (e instanceof WechatPayError && e.wechatCode === "ORDERPAID") {
        const paid = await queryTransaction(config, order.id);
        if (paid?.trade_state === "SUCCESS") {
          await fulfilPayment(d1, config, paid, log, now);
          return "paid";
        }
      }
      throw e;
    }
  }
  return (await closeOrder(d1, order, now)) ? "closed" : null;
}

async function settleRefundByQuery(d1: D1Database, config: WechatPayConfig, refund: RefundRow, now: Date, log: Logger): Promise<"refundsSettled" | "refundsReleased" | "refundsResent" | "refundsAbnormal" | null> {
  const found = await queryRefund(config, refund.id);
  if (!found) {
    const order = await d1.prepare("SELECT * FROM orders WHERE id = ?").bind(refund.order_id).first<OrderRow>();
    if (!order) return null;
    try {
      const sent = await createRefund(config, { outTradeNo: order.id, outRefundNo: refund.id, reason: refund.reason, refundFen: refund.amount_fen, totalFen: order.amount_fen, notifyPath: REFUND_NOTIFY_PATH });
      await d1.prepare("UPDATE refunds SET wechat_refund_id = ? WHERE id = ? AND wechat_refund_id IS NULL").bind(sent.refund_id, refund.id).run();
      return "refundsResent";
    } catch (e) {
      if (e instanceof WechatPayError && e.httpStatus >= 400 && e.httpStatus < 500 && e.wechatCode !== "UNVERIFIED_RESPONSE") {
        return (await releaseRefund(d1, refund.id, "closed", now)) ? "refundsReleased" : null;
      }
      throw e;
    }
  }
  const outcome = await settleRefund(d1, config, { mchid: config.mchid, out_trade_no: found.out_trade_no, out_refund_no: found.out_refund_no, refund_id: found.refund_id, refund_status: found.status, amount: found.amount }, log, now);
  return outcome === "settled" ? "refundsSettled" : outcome === "released" ? "refundsReleased" : outcome === "abnormal" ? "refundsAbnormal" : null;
}
