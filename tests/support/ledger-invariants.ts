import { expect } from "vitest";
import { checkLedger } from "../../worker/ledger/service";

type AccountRow = { id: string; flags: number; debits_posted: number; credits_posted: number; debits_pending: number; credits_pending: number };
type TransferRow = { id: string; debit_account_id: string; credit_account_id: string; amount: number; pending_id: string | null; flags: number };

/**
 * The ledger invariants of docs/architecture.md §3, recomputed here in plain TypeScript from the raw tables (so a bug
 * in the service's own SQL reconciliation cannot hide itself), then checked against `checkLedger` too:
 * debits = credits (posted and pending separately), each account = the sum of its transfers, no flagged
 * account negative, every pending transfer resolved at most once. Call it after every scenario.
 */
export async function expectLedgerInvariants(db: D1Database): Promise<void> {
  const [accountsRes, transfersRes] = await db.batch([
    db.prepare("SELECT id, flags, debits_posted, credits_posted, debits_pending, credits_pending FROM accounts"),
    db.prepare("SELECT id, debit_account_id, credit_account_id, amount, pending_id, flags FROM transfers ORDER BY seq"),
  ]);
  const accounts = accountsRes.results as AccountRow[];
  const transfers = transfersRes.results as TransferRow[];

  const totals = { dp: 0, cp: 0, dq: 0, cq: 0 };
  for (const a of accounts) {
    totals.dp += a.debits_posted;
    totals.cp += a.credits_posted;
    totals.dq += a.debits_pending;
    totals.cq += a.credits_pending;
  }
  expect(totals.dp, "posted debits = posted credits").toBe(totals.cp);
  expect(totals.dq, "pending debits = pending credits").toBe(totals.cq);

  const resolvedBy = new Map<string, TransferRow>();
  for (const t of transfers) {
    expect(t.amount, `transfer ${t.id} moves a positive amount`).toBeGreaterThan(0);
    if (t.pending_id !== null) {
      expect(resolvedBy.has(t.pending_id), `pending ${t.pending_id} is resolved at most once`).toBe(false);
      resolvedBy.set(t.pending_id, t);
    }
  }
  const expected = new Map<string, { dp: number; cp: number; dq: number; cq: number }>();
  const side = (id: string) => {
    let s = expected.get(id);
    if (!s) expected.set(id, (s = { dp: 0, cp: 0, dq: 0, cq: 0 }));
    return s;
  };
  for (const t of transfers) {
    if (t.flags === 0 || t.flags === 2) {
      side(t.debit_account_id).dp += t.amount;
      side(t.credit_account_id).cp += t.amount;
    } else if (t.flags === 1 && !resolvedBy.has(t.id)) {
      side(t.debit_account_id).dq += t.amount;
      side(t.credit_account_id).cq += t.amount;
    }
  }
  const known = new Set(accounts.map((a) => a.id));
  for (const id of expected.keys()) expect(known.has(id), `account ${id} of the journal exists`).toBe(true);
  for (const a of accounts) {
    const e = expected.get(a.id) ?? { dp: 0, cp: 0, dq: 0, cq: 0 };
    expect(
      { dp: a.debits_posted, cp: a.credits_posted, dq: a.debits_pending, cq: a.credits_pending },
      `account ${a.id} equals the sum of its transfers`,
    ).toEqual(e);
    if (a.flags & 1) expect(a.debits_posted + a.debits_pending, `${a.id} (debits must not exceed credits)`).toBeLessThanOrEqual(a.credits_posted);
    if (a.flags & 2) expect(a.credits_posted + a.credits_pending, `${a.id} (credits must not exceed debits)`).toBeLessThanOrEqual(a.debits_posted);
  }

  const report = await checkLedger(db);
  expect(report.checks.filter((c) => !c.ok), "checkLedger agrees").toEqual([]);
  expect(report.ok).toBe(true);
}
