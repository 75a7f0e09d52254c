import type { Logger } from "../http/log";
import { accountId } from "../ledger/accounts";
import { transferStatements, type TransferSpec } from "../ledger/service";
import { guardedChange, type CommissionRow } from "./movements";

type DueRow = CommissionRow & { debt_fen: number | null };

export type SettlementResult = { settled: number; repaidFen: number; skipped: number };

/**
 * Makes commissions whose refund window has passed available: frozen → available, except that a debt the earner
 * owes (a clawback their balance could not cover) is repaid first (frozen → commission_debt). Bounded: at most
 * `batches` batches of `batchSize` commissions per run; the rest waits for the next run.
 *
 * Safe under reruns and overlapping runs: each commission's move is guarded by its version (see `guardedChange`)
 * and its transfers have deterministic ids (`commission:<order>:<level>:settle|repay`), so a second run working
 * from the same read rolls back and moves nothing. A chunk that fails is retried one commission at a time, so one
 * stale row does not hold up the others.
 */
export async function settleDueCommissions(d1: D1Database, now: Date, log: Logger, opts: { batchSize?: number; batches?: number } = {}): Promise<SettlementResult> {
  const batchSize = opts.batchSize ?? 50;
  const result: SettlementResult = { settled: 0, repaidFen: 0, skipped: 0 };
  const skip = new Set<string>();
  for (let b = 0; b < (opts.batches ?? 20); b++) {
    const { results } = await d1
      .prepare(
        `SELECT c.*, debt.debits_posted - debt.credits_posted AS debt_fen FROM commissions c
         LEFT JOIN accounts debt ON debt.id = 'commission_debt:' || c.earner_id
         WHERE c.status = 'frozen' AND c.available_at <= ? ORDER BY c.available_at, c.id LIMIT ?`,
      )
      .bind(now.getTime(), batchSize + skip.size)
      .all<DueRow>();
    const due = results.filter((r) => !skip.has(r.id)).slice(0, batchSize);
    if (due.length === 0) break;
    try {
      await d1.batch(settleStatements(d1, due, now, result));
      result.settled += due.length;
    } catch (chunkError) {
      log.warn("settlement chunk rolled back; settling one at a time", { error: String(chunkError).slice(0, 200) });
      for (const row of due) {
        const one = { settled: 0, repaidFen: 0, skipped: 0 };
        try {
          await d1.batch(settleStatements(d1, [row], now, one));
          result.settled += 1;
          result.repaidFen += one.repaidFen;
        } catch (e) {
          // Moved by an overlapping run, or changed by a refund since the read: the next run sees its new state.
          skip.add(row.id);
          result.skipped += 1;
          log.info("commission not settled in this run", { commissionId: row.id, error: String(e).slice(0, 200) });
        }
      }
    }
    if (due.length < batchSize) break;
  }
  return result;
}

function settleStatements(d1: D1Database, due: DueRow[], now: Date, tally: SettlementResult): D1PreparedStatement[] {
  const debtLeft = new Map<string, number>();
  const statements: D1PreparedStatement[] = [];
  const transfers: TransferSpec[] = [];
  for (const c of due) {
    const remaining = c.amount_fen - c.cancelled_fen;
    if (!debtLeft.has(c.earner_id)) debtLeft.set(c.earner_id, Math.max(0, c.debt_fen ?? 0));
    const repay = Math.min(remaining, debtLeft.get(c.earner_id)!);
    debtLeft.set(c.earner_id, debtLeft.get(c.earner_id)! - repay);
    tally.repaidFen += repay;
    statements.push(
      ...guardedChange(d1, c, { set: "settled_fen = settled_fen + ?, status = 'available'", params: [remaining], movement: { id: `${c.id}:settle`, kind: "settle", amountFen: remaining } }, now, {
        sql: "status = 'frozen'",
        params: [],
      }),
    );
    const frozen = accountId("commission_frozen", c.earner_id);
    if (remaining - repay > 0) {
      transfers.push({ id: `${c.id}:settle`, debitAccountId: frozen, creditAccountId: accountId("commission_available", c.earner_id), amountFen: remaining - repay, code: "commission_settled", reference: `order:${c.order_id}` });
    }
    if (repay > 0) {
      transfers.push({ id: `${c.id}:repay`, debitAccountId: frozen, creditAccountId: accountId("commission_debt", c.earner_id), amountFen: repay, code: "commission_debt_repaid", reference: `order:${c.order_id}` });
    }
  }
  return transfers.length > 0 ? [...statements, ...transferStatements(d1, transfers, now)] : statements;
}
