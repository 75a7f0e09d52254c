import { sql } from "drizzle-orm";
import { check, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One commission earned on one paid order by one upline (level 1 or 2 — never more, see worker/commissions).
 * Its id is the id of the accrual transfer, `commission:<orderId>:<level>`. The row follows its money:
 * `cancelled_fen` left frozen back to the expense (a refund inside the window), `settled_fen` left frozen for the
 * available balance or to repay a debt (the settlement job), `clawed_back_fen` was taken back after the window.
 * The CHECKs refuse any update that would move more than was earned, so a stale writer's batch rolls back whole.
 */
export const commissions = sqliteTable(
  "commissions",
  {
    id: text().primaryKey(),
    orderId: text().notNull(),
    earnerId: text().notNull(),
    buyerId: text().notNull(),
    level: integer().notNull(),
    /** The earner's tier and rate as the order snapshotted them. */
    tier: text().notNull(),
    rateBps: integer().notNull(),
    baseFen: integer().notNull(),
    amountFen: integer().notNull(),
    cancelledFen: integer().notNull().default(0),
    settledFen: integer().notNull().default(0),
    clawedBackFen: integer().notNull().default(0),
    status: text({ enum: ["frozen", "available", "cancelled", "clawed_back"] }).notNull(),
    /** End of the refund window: the settlement job makes it available from then on. */
    availableAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** Bumped by every change; writers compare it, so two writers working from the same read cannot both apply. */
    version: integer().notNull().default(0),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("commissions_earner_created_idx").on(t.earnerId, t.createdAt, t.id),
    index("commissions_order_idx").on(t.orderId),
    // The console's daily commissions accrued (GROUP BY Beijing day over a date range), covering.
    index("commissions_created_idx").on(t.createdAt, t.amountFen),
    index("commissions_due_idx").on(t.availableAt).where(sql`status = 'frozen'`),
    check("commissions_level", sql`level IN (1, 2)`),
    check("commissions_amount_positive", sql`amount_fen > 0`),
    check("commissions_moves_within_amount", sql`cancelled_fen >= 0 AND settled_fen >= 0 AND cancelled_fen + settled_fen <= amount_fen`),
    check("commissions_clawback_within_settled", sql`clawed_back_fen >= 0 AND clawed_back_fen <= settled_fen`),
  ],
);

/**
 * Every movement of a commission after its accrual (settle, cancel, clawback), keyed like its transfers.
 * `gate` is `changes()` of the commission UPDATE just before it: a writer whose version check missed inserts 0,
 * the CHECK fails and its whole batch — ledger transfers included — rolls back.
 */
export const commissionMovements = sqliteTable(
  "commission_movements",
  {
    id: text().primaryKey(),
    commissionId: text().notNull(),
    /** `settle` (its amount may partly repay a debt), `cancel` (inside the window) or `clawback` (after it). */
    kind: text({ enum: ["settle", "cancel", "clawback"] }).notNull(),
    amountFen: integer().notNull(),
    refundId: text(),
    gate: integer().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("commission_movements_commission_idx").on(t.commissionId), check("commission_movements_gate", sql`gate = 1`)],
);

/** What a member has spent on paid orders, counted in the fulfilment batch; tier triggers read it. */
export const memberSpend = sqliteTable("member_spend", {
  memberId: text().primaryKey(),
  lifetimeFen: integer().notNull().default(0),
  updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
});

/** Every tier change, whoever made it: a spend trigger, an approved application or an admin. */
export const tierChanges = sqliteTable(
  "tier_changes",
  {
    id: text().primaryKey(),
    memberId: text().notNull(),
    fromTier: text().notNull(),
    toTier: text().notNull(),
    reason: text().notNull(),
    source: text({ enum: ["trigger", "application", "admin"] }).notNull(),
    actorId: text(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("tier_changes_member_idx").on(t.memberId, t.createdAt)],
);

/** 推广员申请: a member asks to become a promoter; an admin approves or rejects it with a reason. */
export const partnerApplications = sqliteTable(
  "partner_applications",
  {
    id: text().primaryKey(),
    memberId: text().notNull(),
    note: text().notNull().default(""),
    status: text({ enum: ["pending", "approved", "rejected"] }).notNull(),
    decidedBy: text(),
    decisionReason: text(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    decidedAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [
    index("partner_applications_status_idx").on(t.status, t.createdAt),
    index("partner_applications_member_idx").on(t.memberId, t.createdAt),
  ],
);

/** The invite poster (a mini-program code PNG) of a member, stored once in R2. */
export const invitePosters = sqliteTable("invite_posters", {
  memberId: text().primaryKey(),
  objectKey: text().notNull(),
  createdAt: integer({ mode: "timestamp_ms" }).notNull(),
});
