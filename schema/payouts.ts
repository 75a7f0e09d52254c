import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const WITHDRAWAL_STATUSES = ["pending", "approved", "wait_user_confirm", "transferring", "paid", "rejected", "failed", "cancelled"] as const;

/**
 * A partner's withdrawal (提现). Its id is the WeChat merchant transfer `out_bill_no` (letters and digits), so a
 * retried or queried transfer can only ever be this one. Money: `amount_fen` leaves commission_available first and
 * dividends_payable for the rest (`dividends_fen`) as pending ledger transfers (`net_fen` into payout_in_flight,
 * `fee_fen` into fees) until WeChat's outcome.
 * Status: pending → approved → wait_user_confirm → transferring → paid | failed | cancelled; pending → rejected.
 */
export const withdrawals = sqliteTable(
  "withdrawals",
  {
    id: text().primaryKey(),
    memberId: text().notNull(),
    amountFen: integer().notNull(),
    feeFen: integer().notNull(),
    netFen: integer().notNull(),
    /** The part of `amount_fen` drawn from dividends_payable; the rest came from commission_available. */
    dividendsFen: integer().notNull().default(0),
    status: text({ enum: WITHDRAWAL_STATUSES }).notNull(),
    /** Why it was rejected, failed or cancelled (Chinese, shown to the member). */
    statusReason: text(),
    /** Beijing date (YYYY-MM-DD) whose daily limits the request counted against. */
    day: text().notNull(),
    requiresSecondApproval: integer({ mode: "boolean" }).notNull(),
    /** The person (member id, or the console user's id when unlinked) who approved first, and the credential used. */
    firstApproverPerson: text(),
    firstApproverId: text(),
    firstApprovedAt: integer({ mode: "timestamp_ms" }),
    approverPerson: text(),
    approverId: text(),
    approvedAt: integer({ mode: "timestamp_ms" }),
    rejectedBy: text(),
    /** WeChat's transfer bill: its number, last state seen, the package for wx.requestMerchantTransfer. */
    transferBillNo: text(),
    wechatState: text(),
    packageInfo: text(),
    lastError: text(),
    /** Random id of the batch that made the last status change; gates that batch's `withdrawal_transitions` row. */
    transitionId: text(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
    finishedAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [
    index("withdrawals_member_created_idx").on(t.memberId, t.createdAt, t.id),
    index("withdrawals_status_created_idx").on(t.status, t.createdAt),
    index("withdrawals_created_idx").on(t.createdAt),
    index("withdrawals_status_finished_idx").on(t.status, t.finishedAt),
    // The transfer follow-up job walks withdrawals at WeChat quietest first.
    index("withdrawals_status_updated_idx").on(t.status, t.updatedAt),
    check("withdrawals_amounts", sql`amount_fen > 0 AND fee_fen >= 0 AND net_fen > 0 AND fee_fen + net_fen = amount_fen`),
  ],
);

/**
 * The guarded daily counter: one row per member and Beijing day. A request's batch increments it and stamps the
 * limits in force; the CHECKs make a request past either limit abort the whole batch (ledger transfers included),
 * so concurrent requests can never together exceed them.
 */
export const withdrawalDays = sqliteTable(
  "withdrawal_days",
  {
    memberId: text().notNull(),
    day: text().notNull(),
    count: integer().notNull(),
    amountFen: integer().notNull(),
    maxCount: integer().notNull(),
    maxAmountFen: integer().notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.day] }),
    check("withdrawal_days_count_limit", sql`count <= max_count`),
    check("withdrawal_days_amount_limit", sql`amount_fen <= max_amount_fen`),
  ],
);

/**
 * One row per status change that moves money or ends a withdrawal (`<id>:<status>`), inserted last in the batch
 * that made it. `gate` must be 1 — computed from the batch's own conditional UPDATE of the withdrawal — so a batch
 * whose UPDATE did not apply (a concurrent reject and approval, a duplicate notification) fails this CHECK and
 * rolls back whole, ledger transfers included.
 */
export const withdrawalTransitions = sqliteTable(
  "withdrawal_transitions",
  {
    id: text().primaryKey(),
    withdrawalId: text().notNull(),
    status: text({ enum: WITHDRAWAL_STATUSES }).notNull(),
    gate: integer().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [check("withdrawal_transitions_gate", sql`gate = 1`)],
);

/** Payee details WeChat needs for transfers from ¥2,000: the real name, AES-GCM encrypted at rest. */
export const payeeProfiles = sqliteTable("payee_profiles", {
  memberId: text().primaryKey(),
  realNameCiphertext: text().notNull(),
  updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
});
