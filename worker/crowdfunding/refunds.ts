import type { Logger } from "../http/log";
import { startSystemRefund } from "../orders/refunds";
import { expireReservationStatements } from "./subscriptions";

export const FAILED_ROUND_REASON = "众筹未达目标，认购款全额退回";
export const LATE_PAYMENT_REASON = "认购已过期且份额已满或已截止，款项自动退回";

/**
 * Paid subscription orders whose money must go back — every paid subscription of a failed round, and payments that
 * arrived after their reservation expired and found no room — each refunded in full by a system refund (tracked to
 * completion by the orders module's jobs). Idempotent: an order with a refund under way is no longer `paid`.
 */
export async function refundDueSubscriptions(env: Env, log: Logger, now = new Date(), limit = 50): Promise<number> {
  const { results } = await env.DB.prepare(
    `SELECT o.id, s.status, r.state FROM orders o JOIN share_subscriptions s ON s.id = o.subject_id JOIN rounds r ON r.id = s.round_id
     WHERE o.kind = 'share_subscription' AND o.status = 'paid' AND (s.status = 'expired' OR (s.status = 'paid' AND r.state = 'failed'))
     ORDER BY o.paid_at LIMIT ?`,
  )
    .bind(limit)
    .all<{ id: string; status: string; state: string }>();
  let started = 0;
  for (const o of results) {
    try {
      await startSystemRefund(env, o.id, undefined, o.state === "failed" ? FAILED_ROUND_REASON : LATE_PAYMENT_REASON, now);
      started++;
    } catch (error) {
      // The next run tries again; one order's trouble does not hold up the others.
      log.error("subscription refund not started", { orderId: o.id, error: String(error) });
    }
  }
  return started;
}

/**
 * Reservations whose order never came to be (the prepay failed before the order was stored): past their deadline
 * with no pending order, they expire here. A reservation with an order expires when the orders module closes it.
 */
export async function expireOrphanReservations(d1: D1Database, now = Date.now(), limit = 50): Promise<number> {
  const { results } = await d1
    .prepare(
      `SELECT s.id FROM share_subscriptions s WHERE s.status = 'reserved' AND s.expires_at <= ?
         AND NOT EXISTS (SELECT 1 FROM orders o WHERE o.subject_id = s.id AND o.kind = 'share_subscription' AND o.status = 'pending')
       LIMIT ?`,
    )
    .bind(now, limit)
    .all<{ id: string }>();
  for (const { id } of results) await d1.batch(expireReservationStatements(d1, id, now));
  return results.length;
}
