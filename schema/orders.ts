import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * An order for anything payable. Its id is the WeChat Pay `out_trade_no`; its `kind` (an `OrderKind` in
 * worker/orders/kinds.ts) says what is bought and `subject_id` which one (a course id, a share round…).
 * The price is fixed when the order is created.
 * Status: pending → paid → (refunding ⇄ paid) → refunded; pending → closed (expired or closed at WeChat).
 */
export const orders = sqliteTable(
  "orders",
  {
    id: text().primaryKey(),
    memberId: text().notNull(),
    kind: text().notNull().default("course"),
    /** What is bought, in the kind's own terms (for `course`, the course id). */
    subjectId: text().notNull(),
    /**
     * The kind's one-open-order key (e.g. `course:<member>:<course>`, or `auction_purchase:<lot>` for one open
     * order per lot whoever buys); NULL when the kind allows any number of open orders.
     */
    openKey: text(),
    /** The course title when ordered; WeChat shows it as the payment description. */
    description: text().notNull(),
    amountFen: integer().notNull(),
    status: text({ enum: ["pending", "paid", "refunding", "refunded", "closed"] }).notNull(),
    prepayId: text(),
    /** When `prepay_id` was issued: it lives 2 h, so an order that lives longer asks for a fresh one. */
    prepaidAt: integer({ mode: "timestamp_ms" }),
    /** WeChat's transaction_id, set by fulfilment. */
    transactionId: text(),
    /** Random id of the fulfilment batch that marked the order paid; gates that batch's other statements. */
    fulfilmentId: text(),
    /** The buyer's referrer and the referrer's referrer when the order was created (worker/commissions). */
    referrer1Id: text(),
    referrer2Id: text(),
    /**
     * Who earns on this order and at what rate, decided from the tier rules when the order was created
     * (JSON `{ frozenDays, earners: [{ level, earnerId, tier, rateBps }] }`; `[]` plans nothing): later rule
     * changes never touch it.
     */
    commissionPlan: text().notNull().default("[]"),
    refundedFen: integer().notNull().default(0),
    /** Refunds requested at WeChat and not yet settled, reserved so two refunds cannot exceed the amount. */
    refundPendingFen: integer().notNull().default(0),
    /** Number of refunds requested so far; the next refund id is `<orderId>R<refundCount + 1>`. */
    refundCount: integer().notNull().default(0),
    expiresAt: integer({ mode: "timestamp_ms" }).notNull(),
    paidAt: integer({ mode: "timestamp_ms" }),
    closedAt: integer({ mode: "timestamp_ms" }),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    // One open order per open key (the kind's rule), whatever the concurrency: the database refuses a second one.
    uniqueIndex("orders_one_open_per_key").on(t.openKey).where(sql`status = 'pending'`),
    index("orders_member_created_idx").on(t.memberId, t.createdAt, t.id),
    index("orders_status_created_idx").on(t.status, t.createdAt),
    // The console's daily payments (GROUP BY Beijing day over a date range), covering so no order row is read.
    index("orders_paid_idx").on(t.paidAt, t.amountFen),
    check("orders_amount_positive", sql`amount_fen > 0`),
    check("orders_refunds_within_amount", sql`refunded_fen >= 0 AND refund_pending_fen >= 0 AND refunded_fen + refund_pending_fen <= amount_fen`),
  ],
);

/** A refund of (part of) an order. Its id is the WeChat Pay `out_refund_no`. */
export const refunds = sqliteTable(
  "refunds",
  {
    id: text().primaryKey(),
    orderId: text().notNull(),
    amountFen: integer().notNull(),
    reason: text().notNull(),
    status: text({ enum: ["processing", "succeeded", "closed", "abnormal"] }).notNull(),
    /** WeChat's refund_id once WeChat accepted the refund. */
    wechatRefundId: text(),
    /** Random id of the batch that settled the refund; gates that batch's other statements. */
    settlementId: text(),
    requestedBy: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    settledAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [index("refunds_order_idx").on(t.orderId, t.createdAt), index("refunds_status_idx").on(t.status, t.createdAt),
    // The console's daily refunds settled (GROUP BY Beijing day of settlement), covering.
    index("refunds_status_settled_idx").on(t.status, t.settledAt, t.amountFen),
    check("refunds_amount_positive", sql`amount_fen > 0`)],
);

/**
 * One row per settled payment or refund (`order:<id>` / `refund:<id>`), inserted last in the settling batch.
 * `gate` must be 1 — it is computed from the batch's own conditional UPDATE — so a batch whose UPDATE did not
 * apply (a duplicate or concurrent notification) fails this CHECK and rolls back whole, ledger postings included.
 */
export const paySettlements = sqliteTable(
  "pay_settlements",
  {
    id: text().primaryKey(),
    orderId: text().notNull(),
    wechatId: text().notNull(),
    gate: integer().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [check("pay_settlements_gate", sql`gate = 1`)],
);
