import { createLogger, type Logger } from "../http/log";
import type { ScheduledJob } from "../scheduling/types";
import { wechatPayConfig } from "../wechat/pay/client";
import { cancelTransferBill, queryTransferBill } from "../wechat/pay/transfers";
import { applyTransferBill, sendTransfer } from "./transfer";
import type { WithdrawalRow } from "./views";

/** A transfer without news for this long is asked about instead of waited for. */
export const TRANSFER_QUIET_MS = 5 * 60_000;
/** WeChat keeps an unconfirmed bill open for 24 h; we cancel it then, so the money returns to the member's balance. */
export const CONFIRMATION_WINDOW_MS = 24 * 3600_000;
const BATCH = 25;

/**
 * Scheduled follow-up (every 5 minutes) of withdrawals at WeChat without a final state: each is queried by its
 * out_bill_no; a bill WeChat never received is sent again under the SAME number; a final state settles it (once);
 * a bill the member has not confirmed within 24 h of approval is cancelled, and its money returns to available.
 * Bounded: one chunk per run, quietest first; every withdrawal looked at gets a new `updated_at` (its outcome, or the
 * requeue after a failure), so a backlog larger than a chunk is walked over successive runs.
 */
export async function followUpTransfers(env: Env, now = new Date(), log: Logger = createLogger({ job: "follow-up-transfers" }), batchSize = BATCH) {
  const config = wechatPayConfig(env);
  const { results } = await env.DB.prepare(
    `SELECT * FROM withdrawals WHERE status IN ('approved', 'wait_user_confirm', 'transferring') AND updated_at <= ? ORDER BY updated_at LIMIT ?`,
  ).bind(now.getTime() - TRANSFER_QUIET_MS, batchSize).all<WithdrawalRow>();
  const summary = { resent: 0, settled: 0, cancelled: 0, waiting: 0, failed: 0 };
  for (const w of results) {
    try {
      const bill = await queryTransferBill(config, w.id);
      if (!bill) {
        await sendTransfer(env, w, log, now);
        summary.resent++;
        continue;
      }
      const overdue = w.approved_at !== null && now.getTime() - w.approved_at >= CONFIRMATION_WINDOW_MS;
      if (bill.state === "WAIT_USER_CONFIRM" && overdue) {
        const cancelling = await cancelTransferBill(config, w.id);
        // WeChat answers CANCELING and finishes shortly after: ask once more, else the notification or the next run ends it.
        const after = cancelling.state === "CANCELING" ? (await queryTransferBill(config, w.id)) ?? cancelling : cancelling;
        const outcome = await applyTransferBill(env, w.id, after, log, now);
        if (outcome === "cancelled") summary.cancelled++;
        else summary.waiting++;
        continue;
      }
      if (bill.state === "WAIT_USER_CONFIRM" && !w.package_info) {
        // The create's answer was lost: repeating it under the same out_bill_no answers the bill with its package.
        await sendTransfer(env, w, log, now);
        summary.waiting++;
        continue;
      }
      const outcome = await applyTransferBill(env, w.id, bill, log, now);
      if (["paid", "failed", "cancelled", "already"].includes(outcome)) summary.settled++;
      else summary.waiting++;
    } catch (e) {
      summary.failed++;
      log.error("transfer follow-up failed", { withdrawalId: w.id, error: String(e) });
      // To the back of the queue (oldest `updated_at` first): what keeps failing must not hold up the others.
      await env.DB.prepare("UPDATE withdrawals SET updated_at = ? WHERE id = ? AND updated_at < ?").bind(now.getTime(), w.id, now.getTime()).run()
        .catch((u) => log.error("could not requeue the withdrawal", { withdrawalId: w.id, error: String(u) }));
    }
  }
  if (results.length > 0) log.info("transfers followed up", summary);
  return summary;
}

export const payoutJobs: ScheduledJob[] = [
  { name: "follow-up-transfers", crons: ["*/5 * * * *"], run: async (env, { now, log }) => void (await followUpTransfers(env, now, log)) },
];
