import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * Double-entry ledger modelled on TigerBeetle (https://docs.tigerbeetle.com/coding/data-modeling/).
 * Balances are only ever changed by the triggers on `transfers` (migration `ledger_guards`), so an
 * account always equals the sum of its journal; the CHECKs below make an overdraft abort the whole batch.
 */
export const ACCOUNT_FLAGS = {
  /** Liability-like accounts (a member's commission, an escrow): debits + pending debits ≤ credits. */
  debitsMustNotExceedCredits: 1,
  /** Asset-like accounts that must never be overdrawn: credits + pending credits ≤ debits. */
  creditsMustNotExceedDebits: 2,
} as const;

export const TRANSFER_FLAGS = {
  /** Phase one: reserves the amount as pending on both accounts. */
  pending: 1,
  /** Phase two: posts (all or part of) a pending transfer named by `pending_id`; the rest is released. */
  postPending: 2,
  /** Phase two: releases a pending transfer named by `pending_id`. */
  voidPending: 4,
} as const;

export const accounts = sqliteTable(
  "accounts",
  {
    /** `code` or `code:owner`, e.g. `commission_available:m_1`. */
    id: text().primaryKey(),
    code: text().notNull(),
    owner: text(),
    flags: integer().notNull().default(0),
    debitsPosted: integer().notNull().default(0),
    creditsPosted: integer().notNull().default(0),
    debitsPending: integer().notNull().default(0),
    creditsPending: integer().notNull().default(0),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("accounts_owner_idx").on(t.owner, t.code),
    check("accounts_balances_not_negative", sql`${t.debitsPosted} >= 0 AND ${t.creditsPosted} >= 0 AND ${t.debitsPending} >= 0 AND ${t.creditsPending} >= 0`),
    check("accounts_flags_exclusive", sql`${t.flags} IN (0, 1, 2)`),
    check("accounts_debits_must_not_exceed_credits", sql`(${t.flags} & 1) = 0 OR ${t.debitsPosted} + ${t.debitsPending} <= ${t.creditsPosted}`),
    check("accounts_credits_must_not_exceed_debits", sql`(${t.flags} & 2) = 0 OR ${t.creditsPosted} + ${t.creditsPending} <= ${t.debitsPosted}`),
  ],
);

/** The append-only journal. Rows are never updated or deleted (guard triggers abort it). */
export const transfers = sqliteTable(
  "transfers",
  {
    /** Journal order; the cursor of an account's history. */
    seq: integer().primaryKey(),
    /** Deterministic from the business reference, e.g. `order:o_1:revenue`; a replay hits this UNIQUE. */
    id: text().notNull().unique(),
    debitAccountId: text().notNull().references(() => accounts.id),
    creditAccountId: text().notNull().references(() => accounts.id),
    amount: integer().notNull(),
    code: text().notNull(),
    reference: text().notNull(),
    /** For a post/void: the pending transfer it resolves. UNIQUE, so a pending transfer resolves exactly once. */
    pendingId: text().references((): AnySQLiteColumn => transfers.id),
    flags: integer().notNull().default(0),
    /** For a pending transfer: after this instant it can no longer be posted and the scheduler voids it. */
    timeoutAt: integer({ mode: "timestamp_ms" }),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("transfers_debit_account_idx").on(t.debitAccountId, t.seq),
    index("transfers_credit_account_idx").on(t.creditAccountId, t.seq),
    index("transfers_reference_idx").on(t.reference),
    uniqueIndex("transfers_pending_id_unique").on(t.pendingId),
    /** Only pending transfers: lets the reconciliation count them without scanning the journal. */
    index("transfers_pending_idx").on(t.id).where(sql`${t.flags} = 1`),
    check("transfers_amount_positive", sql`${t.amount} > 0`),
    check("transfers_distinct_accounts", sql`${t.debitAccountId} <> ${t.creditAccountId}`),
    check("transfers_flags_known", sql`${t.flags} IN (0, 1, 2, 4)`),
    check("transfers_pending_id_iff_resolution", sql`(${t.pendingId} IS NOT NULL) = (${t.flags} IN (2, 4))`),
    check("transfers_timeout_only_on_pending", sql`${t.timeoutAt} IS NULL OR ${t.flags} = 1`),
  ],
);

/**
 * Pending transfers not yet posted or voided, maintained by the journal triggers. A work queue, not a
 * record: the scheduler finds expired ones through the timeout index without scanning resolved history.
 */
export const openPendingTransfers = sqliteTable(
  "open_pending_transfers",
  {
    transferId: text().primaryKey().references(() => transfers.id),
    timeoutAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [index("open_pending_transfers_timeout_idx").on(t.timeoutAt)],
);
