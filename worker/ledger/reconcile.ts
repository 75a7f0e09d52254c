import { ACCOUNT_CODES } from "./accounts";

export type LedgerCheck = { name: string; ok: boolean; detail?: string };

/**
 * Each account's four balances recomputed from the journal alone, in one pass over it: transfers are
 * summed per (debit, credit) pair first (few pairs, many transfers), then each pair counts on both sides.
 * A pending transfer counts while nothing resolves it.
 */
const OPEN = "t.flags = 1 AND NOT EXISTS (SELECT 1 FROM transfers r WHERE r.pending_id = t.id)";
const JOURNAL_SUMS_CTE = `
  pairs AS MATERIALIZED (
    SELECT debit_account_id AS d, credit_account_id AS c,
           SUM(CASE WHEN t.flags IN (0, 2) THEN t.amount ELSE 0 END) AS posted,
           SUM(CASE WHEN ${OPEN} THEN t.amount ELSE 0 END) AS pending
    FROM transfers t GROUP BY 1, 2),
  sums AS MATERIALIZED (
    SELECT account_id, SUM(dp) AS dp, SUM(cp) AS cp, SUM(dq) AS dq, SUM(cq) AS cq FROM (
      SELECT d AS account_id, posted AS dp, 0 AS cp, pending AS dq, 0 AS cq FROM pairs
      UNION ALL SELECT c, 0, posted, 0, pending FROM pairs)
    GROUP BY 1)`;

const LIMIT = 20;

/**
 * Recomputes the whole ledger from its journal and reports every invariant of docs/architecture.md §3 separately.
 * For the daily job and admins, not for requests: one pass over the journal (about two rows read per
 * transfer, half of them the sorter's); everything else goes through indexes. All reads run in one batch, so one snapshot.
 */
export async function checkLedger(d1: D1Database): Promise<{ ok: boolean; checks: LedgerCheck[] }> {
  const q = (sql: string) => d1.prepare(sql);
  const [totals, mismatched, overdrawn, badResolutions, doubleResolutions, openQueue, flagsByCode] = await d1.batch<Record<string, number | string | null>>([
    q(`SELECT COALESCE(SUM(debits_posted), 0) AS dp, COALESCE(SUM(credits_posted), 0) AS cp,
              COALESCE(SUM(debits_pending), 0) AS dq, COALESCE(SUM(credits_pending), 0) AS cq FROM accounts`),
    // Accounts that differ from the journal, and journal sides on accounts that do not exist (`orphan`).
    q(`WITH ${JOURNAL_SUMS_CTE}
       SELECT a.id, 0 AS orphan, a.debits_posted AS dp, a.credits_posted AS cp, a.debits_pending AS dq, a.credits_pending AS cq,
              COALESCE(s.dp, 0) AS jdp, COALESCE(s.cp, 0) AS jcp, COALESCE(s.dq, 0) AS jdq, COALESCE(s.cq, 0) AS jcq
       FROM accounts a LEFT JOIN sums s ON s.account_id = a.id
       WHERE a.debits_posted <> COALESCE(s.dp, 0) OR a.credits_posted <> COALESCE(s.cp, 0)
          OR a.debits_pending <> COALESCE(s.dq, 0) OR a.credits_pending <> COALESCE(s.cq, 0)
       UNION ALL
       SELECT s.account_id, 1, 0, 0, 0, 0, s.dp, s.cp, s.dq, s.cq FROM sums s
       WHERE NOT EXISTS (SELECT 1 FROM accounts a WHERE a.id = s.account_id)
       LIMIT ${LIMIT}`),
    q(`SELECT id FROM accounts
       WHERE debits_posted < 0 OR credits_posted < 0 OR debits_pending < 0 OR credits_pending < 0
          OR ((flags & 1) <> 0 AND debits_posted + debits_pending > credits_posted)
          OR ((flags & 2) <> 0 AND credits_posted + credits_pending > debits_posted)
       LIMIT ${LIMIT}`),
    // Through the pending_id index: only posts and voids are read, not the whole journal.
    q(`SELECT r.id FROM transfers r INDEXED BY transfers_pending_id_unique LEFT JOIN transfers p ON p.id = r.pending_id
       WHERE r.pending_id IS NOT NULL AND (r.flags NOT IN (2, 4) OR p.id IS NULL OR p.flags <> 1
          OR p.debit_account_id <> r.debit_account_id OR p.credit_account_id <> r.credit_account_id
          OR r.amount > p.amount OR (r.flags = 4 AND r.amount <> p.amount))
       LIMIT ${LIMIT}`),
    q(`SELECT pending_id AS id FROM transfers WHERE pending_id IS NOT NULL GROUP BY pending_id HAVING COUNT(*) > 1 LIMIT ${LIMIT}`),
    // Open = pending − resolved, each resolution naming a distinct pending transfer (checked above).
    q(`SELECT
         (SELECT COUNT(*) FROM transfers WHERE flags = 1) - (SELECT COUNT(*) FROM transfers WHERE pending_id IS NOT NULL) AS open,
         (SELECT COUNT(*) FROM open_pending_transfers) AS queued,
         (SELECT COUNT(*) FROM open_pending_transfers o JOIN transfers t ON t.id = o.transfer_id WHERE ${OPEN}) AS matched`),
    q(`SELECT code, flags, COUNT(*) AS n FROM accounts GROUP BY code, flags`),
  ]);

  const t = totals.results[0] as { dp: number; cp: number; dq: number; cq: number };
  const ids = (rows: Array<Record<string, unknown>>) => rows.map((r) => String(r.id)).join(", ");
  const checks: LedgerCheck[] = [];
  const orphans = mismatched.results.filter((r) => r.orphan === 1);
  const add = (name: string, ok: boolean, detail: string) => checks.push(ok ? { name, ok } : { name, ok, detail });

  add("posted_debits_equal_credits", t.dp === t.cp, `posted debits ${t.dp} ≠ posted credits ${t.cp}`);
  add("pending_debits_equal_credits", t.dq === t.cq, `pending debits ${t.dq} ≠ pending credits ${t.cq}`);
  add(
    "accounts_equal_journal",
    mismatched.results.length === orphans.length,
    mismatched.results
      .filter((r) => r.orphan === 0)
      .map((r) => `${r.id}: stored ${r.dp}/${r.cp}/${r.dq}/${r.cq}, journal ${r.jdp}/${r.jcp}/${r.jdq}/${r.jcq} (debits/credits posted, pending)`)
      .join("; "),
  );
  add("transfers_reference_accounts", orphans.length === 0, `transfers on unknown accounts: ${ids(orphans)}`);
  add("flagged_accounts_not_overdrawn", overdrawn.results.length === 0, `overdrawn: ${ids(overdrawn.results)}`);
  add("resolutions_match_pending", badResolutions.results.length === 0, `posts/voids not matching their pending transfer: ${ids(badResolutions.results)}`);
  add("pending_resolved_at_most_once", doubleResolutions.results.length === 0, `resolved more than once: ${ids(doubleResolutions.results)}`);
  const queue = openQueue.results[0] as { open: number; queued: number; matched: number };
  add(
    "open_pending_queue_matches_journal",
    queue.open === queue.queued && queue.queued === queue.matched,
    `${queue.open} open pending transfers in the journal, ${queue.queued} queued, ${queue.matched} matching`,
  );
  const wrongFlags = (flagsByCode.results as Array<{ code: string; flags: number; n: number }>).filter((r) => {
    const spec = (ACCOUNT_CODES as Record<string, { flags: number }>)[r.code];
    return !spec || spec.flags !== r.flags;
  });
  add("account_flags_follow_code", wrongFlags.length === 0, wrongFlags.map((r) => `${r.n} × ${r.code} with flags ${r.flags}`).join("; "));

  return { ok: checks.every((c) => c.ok), checks };
}
