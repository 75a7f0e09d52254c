import { ApiError } from "../http/problem";
import type { Logger } from "../http/log";
import { startSystemRefund } from "../orders/refunds";
import type { ScheduledJob } from "../scheduling/types";
import { depositsAwaitingRefund, forfeitUnpaidSales, markDepositRefunded, releaseDeposits } from "./deposits";
import { closeOpenPurchase } from "./orders";

/** A lot still open this long after its close has lost its alarm (or the alarm keeps failing): wake it. */
const OVERDUE_MS = 60_000;

/**
 * The safety net under the lots' alarms: every open lot past its close is woken, which schedules its end now.
 * Ending is idempotent, so waking a lot whose alarm is merely late does no harm.
 */
export async function wakeOverdueLots(env: Env, now: Date, limit = 50) {
  const { results } = await env.DB.prepare("SELECT id FROM lots WHERE status = 'open' AND closes_at <= ? ORDER BY closes_at LIMIT ?")
    .bind(now.getTime() - OVERDUE_MS, limit)
    .all<{ id: string }>();
  await Promise.all(results.map((lot) => env.LOT_AUCTIONS.getByName(lot.id).open(lot.id)));
  return results.length;
}

/**
 * After the hammer: unpaid winners past their deadline forfeit (their open purchase order closed first), holds that
 * no longer serve a lot are voided, and each released deposit is refunded by a system refund, which the orders module
 * then tracks to completion like any refund. Every step is idempotent, so a failed run is simply run again.
 * Bounded: each step takes at most `chunkSize` rows per run; what it handles leaves its backlog, so a larger backlog
 * drains over successive runs.
 */
export async function settleLotDeposits(env: Env, now: Date, log: Pick<Logger, "warn">, chunkSize = 50) {
  const forfeited = await forfeitUnpaidSales(env.DB, now, chunkSize, (lotId) => closeOpenPurchase(env, lotId, now));
  const released = await releaseDeposits(env.DB, now, chunkSize);
  let refunded = 0;
  for (const d of await depositsAwaitingRefund(env.DB, chunkSize)) {
    try {
      await startSystemRefund(env, d.orderId, undefined, "竞拍结束，退还保证金", now);
      await markDepositRefunded(env.DB, d, now);
      refunded++;
    } catch (e) {
      // Already refunded (nothing left to refund): the refund exists; otherwise (WeChat unreachable) try next run.
      if (e instanceof ApiError && (e.code === "refund-exceeds-refundable" || e.code === "refund-not-allowed")) await markDepositRefunded(env.DB, d, now);
      else log.warn("deposit refund not started; retrying next run", { lotId: d.lotId, orderId: d.orderId, error: String(e) });
    }
  }
  return { forfeited: forfeited.length, released: released.length, refunded };
}

export const auctionJobs: ScheduledJob[] = [
  {
    name: "wake-overdue-lots",
    crons: ["*/5 * * * *"],
    run: async (env, { now, log }) => {
      const woken = await wakeOverdueLots(env, now);
      if (woken > 0) log.warn("woke lots past their close", { woken });
    },
  },
  {
    name: "settle-lot-deposits",
    crons: ["*/5 * * * *"],
    run: async (env, { now, log }) => {
      const summary = await settleLotDeposits(env, now, log);
      if (summary.forfeited + summary.released + summary.refunded > 0) log.info("lot deposits settled", summary);
    },
  },
];
