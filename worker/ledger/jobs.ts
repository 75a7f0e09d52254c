import type { Logger } from "../http/log";
import type { ScheduledJob } from "../scheduling/types";
import { checkLedger } from "./reconcile";
import { executeTransfers, ledgerError } from "./service";

/** At most this many expired reservations are voided per tick; the rest wait five minutes. */
const VOID_BATCH = 50;

type OpenPending = { id: string; debit_account_id: string; credit_account_id: string; amount: number; reference: string };

/**
 * Voids every pending transfer whose timeout has passed (TigerBeetle's expiry). Each void is its own
 * batch with a deterministic id, so a concurrent post or a second run of the job changes nothing.
 */
export async function voidExpiredPendingTransfers(d1: D1Database, now: Date, log?: Logger, limit = VOID_BATCH): Promise<{ voided: number }> {
  const { results } = await d1
    .prepare(
      `SELECT t.id, t.debit_account_id, t.credit_account_id, t.amount, t.reference
       FROM open_pending_transfers o JOIN transfers t ON t.id = o.transfer_id
       WHERE o.timeout_at IS NOT NULL AND o.timeout_at <= ? ORDER BY o.timeout_at LIMIT ?`,
    )
    .bind(now.getTime(), limit)
    .all<OpenPending>();
  let voided = 0;
  for (const p of results) {
    try {
      const r = await executeTransfers(
        d1,
        [{ id: `${p.id}:expired`, debitAccountId: p.debit_account_id, creditAccountId: p.credit_account_id, amountFen: p.amount, code: "pending_expired", reference: p.reference, voidPendingId: p.id }],
        [],
        { now },
      );
      if (r.status === "created") voided++;
    } catch (error) {
      // Posted or voided by its owner between the read and this batch: nothing to do.
      const known = ledgerError(error);
      if (known?.code.startsWith("pending-transfer-already")) continue;
      log?.error("could not void an expired pending transfer", { transferId: p.id, error: String(error) });
    }
  }
  return { voided };
}

export const ledgerJobs: ScheduledJob[] = [
  {
    name: "ledger.void-expired-pending",
    crons: ["*/5 * * * *"],
    async run(env, { now, log }) {
      const { voided } = await voidExpiredPendingTransfers(env.DB, now, log);
      if (voided) log.info("voided expired pending transfers", { voided });
    },
  },
  {
    name: "ledger.daily-check",
    crons: ["17 3 * * *"],
    async run(env, { log }) {
      const report = await checkLedger(env.DB);
      // Loud on purpose: a discrepancy means money is unaccounted for and someone must look today.
      if (!report.ok) log.error("LEDGER DISCREPANCY", { failed: report.checks.filter((c) => !c.ok) });
      else log.info("ledger check passed", { checks: report.checks.length });
    },
  },
];
