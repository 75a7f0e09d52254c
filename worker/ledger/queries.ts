import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../http/cursor";
import { parseAccountId } from "./accounts";

export type Balance = {
  accountId: string;
  code: string;
  owner: string | null;
  flags: number;
  debitsPostedFen: number;
  creditsPostedFen: number;
  /** Pending (reserved) debits and credits not yet posted or voided. */
  pendingDebitsFen: number;
  pendingCreditsFen: number;
  /** Net posted balance on the account's normal side (credit side for what we owe, debit side for assets). */
  postedFen: number;
  /** Posted balance less what pending transfers already reserve out of it. */
  availableFen: number;
};

type AccountRow = {
  id: string;
  code: string;
  owner: string | null;
  flags: number;
  debits_posted: number;
  credits_posted: number;
  debits_pending: number;
  credits_pending: number;
};

function toBalance(accountId: string, row: AccountRow | null): Balance {
  const { code, owner, flags, normal } = parseAccountId(accountId);
  const dp = row?.debits_posted ?? 0;
  const cp = row?.credits_posted ?? 0;
  const dq = row?.debits_pending ?? 0;
  const cq = row?.credits_pending ?? 0;
  const postedFen = normal === "credit" ? cp - dp : dp - cp;
  const availableFen = normal === "credit" ? cp - dp - dq : dp - cp - cq;
  return {
    accountId,
    code,
    owner,
    flags: row?.flags ?? flags,
    debitsPostedFen: dp,
    creditsPostedFen: cp,
    pendingDebitsFen: dq,
    pendingCreditsFen: cq,
    postedFen,
    availableFen,
  };
}

/** One primary-key read (`meta.rows_read` = 1) whatever the history; an account never used reads as zero. */
export async function balanceWithMeta(d1: D1Database, accountId: string): Promise<{ balance: Balance; rowsRead: number }> {
  parseAccountId(accountId);
  const res = await d1
    .prepare("SELECT id, code, owner, flags, debits_posted, credits_posted, debits_pending, credits_pending FROM accounts WHERE id = ?")
    .bind(accountId)
    .all<AccountRow>();
  return { balance: toBalance(accountId, res.results[0] ?? null), rowsRead: res.meta.rows_read };
}

export async function balance(d1: D1Database, accountId: string): Promise<Balance> {
  return (await balanceWithMeta(d1, accountId)).balance;
}

/** Several balances in one query (one row read per account), e.g. a partner's frozen/available/in-flight. */
export async function balances(d1: D1Database, accountIds: string[]): Promise<Map<string, Balance>> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0) return new Map();
  if (ids.length > 100) throw new RangeError("At most 100 accounts per call");
  ids.forEach(parseAccountId);
  const { results } = await d1
    .prepare(
      `SELECT id, code, owner, flags, debits_posted, credits_posted, debits_pending, credits_pending FROM accounts
       WHERE id IN (${ids.map(() => "?").join(", ")})`,
    )
    .bind(...ids)
    .all<AccountRow>();
  const byId = new Map(results.map((r) => [r.id, r]));
  return new Map(ids.map((id) => [id, toBalance(id, byId.get(id) ?? null)]));
}

export type HistoryItem = {
  seq: number;
  id: string;
  debitAccountId: string;
  creditAccountId: string;
  amountFen: number;
  /** Which side of this account the transfer touches. */
  direction: "debit" | "credit";
  code: string;
  reference: string;
  kind: "posted" | "pending" | "post_pending" | "void_pending";
  pendingId: string | null;
  timeoutAt: string | null;
  createdAt: string;
};
export type HistoryPage = { items: HistoryItem[]; nextCursor: string | null };

/** Every transfer recorded under a business reference (indexed), oldest first: what an order moved. */
export async function transfersByReference(d1: D1Database, reference: string): Promise<Omit<HistoryItem, "direction">[]> {
  const { results } = await d1
    .prepare(
      `SELECT seq, id, debit_account_id, credit_account_id, amount, code, reference, pending_id, flags, timeout_at, created_at
       FROM transfers WHERE reference = ? ORDER BY seq LIMIT 1000`,
    )
    .bind(reference)
    .all<TransferRow>();
  return results.map((r) => {
    const { direction: _, ...item } = toItem(r, r.debit_account_id);
    return item;
  });
}

type TransferRow = {
  seq: number;
  id: string;
  debit_account_id: string;
  credit_account_id: string;
  amount: number;
  code: string;
  reference: string;
  pending_id: string | null;
  flags: number;
  timeout_at: number | null;
  created_at: number;
};

const KINDS: Record<number, HistoryItem["kind"]> = { 0: "posted", 1: "pending", 2: "post_pending", 4: "void_pending" };

/**
 * An account's transfers, newest first, by an opaque cursor (the journal sequence). Each side is read
 * through its (account, seq) index and stops after `limit` rows, so a page reads at most 2 × limit rows.
 */
export async function history(d1: D1Database, accountId: string, page: { limit?: number; cursor?: string | null } = {}): Promise<HistoryPage> {
  const limit = Math.min(Math.max(Math.trunc(page.limit ?? 20), 1), 100);
  const before = page.cursor ? decodeSeqCursor(page.cursor) : Number.MAX_SAFE_INTEGER;
  const columns = "seq, id, debit_account_id, credit_account_id, amount, code, reference, pending_id, flags, timeout_at, created_at";
  const { results } = await d1
    .prepare(
      `SELECT * FROM (SELECT ${columns} FROM transfers WHERE debit_account_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3)
       UNION ALL
       SELECT * FROM (SELECT ${columns} FROM transfers WHERE credit_account_id = ?1 AND seq < ?2 ORDER BY seq DESC LIMIT ?3)
       ORDER BY seq DESC LIMIT ?3`,
    )
    .bind(accountId, before, limit + 1)
    .all<TransferRow>();
  const more = results.length > limit;
  const rows = results.slice(0, limit);
  return {
    items: rows.map((r) => toItem(r, accountId)),
    nextCursor: more ? encodeSeqCursor(rows[rows.length - 1].seq) : null,
  };
}

function toItem(r: TransferRow, accountId: string): HistoryItem {
  return {
    seq: r.seq,
    id: r.id,
    debitAccountId: r.debit_account_id,
    creditAccountId: r.credit_account_id,
    amountFen: r.amount,
    direction: r.debit_account_id === accountId ? "debit" : "credit",
    code: r.code,
    reference: r.reference,
    kind: KINDS[r.flags] ?? "posted",
    pendingId: r.pending_id,
    timeoutAt: r.timeout_at === null ? null : new Date(r.timeout_at).toISOString(),
    createdAt: new Date(r.created_at).toISOString(),
  };
}

const encodeSeqCursor = (seq: number) => encodeCursor([seq]);

function decodeSeqCursor(cursor: string): number {
  const key = decodeCursor(cursor, z.tuple([cursorKey.sequence]));
  if (!key) throw new InvalidCursorError();
  return key[0];
}

export class InvalidCursorError extends Error {
  constructor() {
    super("The cursor is not one this API issued.");
  }
}
