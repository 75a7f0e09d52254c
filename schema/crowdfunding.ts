import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

const TIER = ["member", "promoter", "channel_partner", "shareholder"] as const;
export const ROUND_STATES = ["draft", "open", "succeeded", "failed"] as const;
export type RoundState = (typeof ROUND_STATES)[number];

/**
 * A crowdfunding round (创新众筹) offered privately to members of its eligible tiers.
 * Terms are editable only while `draft`; once open they are fixed, so a subscription's price cannot move.
 * `reserved_shares + sold_shares <= total_shares` is a CHECK: concurrent subscriptions for the last shares
 * abort in the database, never oversell.
 */
export const rounds = sqliteTable(
  "rounds",
  {
    id: text().primaryKey(),
    title: text().notNull(),
    description: text().notNull().default(""),
    riskDisclosure: text().notNull(),
    /** Bumped whenever the disclosure text changes; a subscriber acknowledges one version. */
    disclosureVersion: integer().notNull().default(1),
    sharePriceFen: integer().notNull(),
    totalShares: integer().notNull(),
    minShares: integer().notNull().default(1),
    maxShares: integer().notNull(),
    targetShares: integer().notNull(),
    /** JSON array of tiers that may see and subscribe to the round (channel partners by default). */
    eligibleTiers: text({ mode: "json" }).$type<string[]>().notNull(),
    tierOnSuccess: text({ enum: TIER }).notNull().default("shareholder"),
    opensAt: integer({ mode: "timestamp_ms" }).notNull(),
    closesAt: integer({ mode: "timestamp_ms" }).notNull(),
    state: text({ enum: ROUND_STATES }).notNull().default("draft"),
    reservedShares: integer().notNull().default(0),
    soldShares: integer().notNull().default(0),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
    closedAt: integer({ mode: "timestamp_ms" }),
    /** Random id of the closing batch that moved the round out of `open`; gates that batch's other statements. */
    closeId: text(),
  },
  (t) => [
    index("rounds_state_closes_idx").on(t.state, t.closesAt),
    check("rounds_shares_within_total", sql`reserved_shares >= 0 AND sold_shares >= 0 AND reserved_shares + sold_shares <= total_shares`),
    check("rounds_terms", sql`share_price_fen > 0 AND total_shares > 0 AND min_shares >= 1 AND min_shares <= max_shares AND max_shares <= total_shares AND target_shares >= 1 AND target_shares <= total_shares`),
    check("rounds_window", sql`opens_at < closes_at`),
  ],
);

/** Every state change of a round (draft → open → succeeded | failed), with who made it and why. */
export const roundStateChanges = sqliteTable(
  "round_state_changes",
  {
    id: text().primaryKey(),
    roundId: text().notNull(),
    fromState: text({ enum: ROUND_STATES }),
    toState: text({ enum: ROUND_STATES }).notNull(),
    actorId: text().notNull(),
    reason: text().notNull().default(""),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("round_state_changes_round_idx").on(t.roundId, t.createdAt)],
);

export const SUBSCRIPTION_STATUSES = ["reserved", "paid", "expired", "refunded"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * A member's subscription to a round: shares reserved at subscribing, paid through a `share_subscription`
 * order, expired with an unpaid order (shares released) or refunded (a failed round, a late payment).
 * One live (reserved or paid) subscription per member and round is a partial unique index.
 */
export const shareSubscriptions = sqliteTable(
  "share_subscriptions",
  {
    id: text().primaryKey(),
    roundId: text().notNull(),
    memberId: text().notNull(),
    shares: integer().notNull(),
    amountFen: integer().notNull(),
    status: text({ enum: SUBSCRIPTION_STATUSES }).notNull(),
    orderId: text(),
    /** The risk disclosure version the member acknowledged, and when (recorded before paying). */
    disclosureVersion: integer().notNull(),
    disclosureAckedAt: integer({ mode: "timestamp_ms" }).notNull(),
    expiresAt: integer({ mode: "timestamp_ms" }).notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
    paidAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("share_subscriptions_one_live").on(t.roundId, t.memberId).where(sql`status IN ('reserved', 'paid')`),
    uniqueIndex("share_subscriptions_order_idx").on(t.orderId),
    index("share_subscriptions_round_idx").on(t.roundId, t.status, t.createdAt),
    index("share_subscriptions_member_idx").on(t.memberId, t.status),
    // The holder recount (worker/crowdfunding/holders.ts) reads only live subscriptions, never the expired history.
    index("share_subscriptions_status_member_idx").on(t.status, t.memberId),
    check("share_subscriptions_amount", sql`shares > 0 AND amount_fen > 0`),
  ],
);

/** The cap table: shares a member holds from a round that succeeded. */
export const shareHoldings = sqliteTable(
  "share_holdings",
  {
    memberId: text().notNull(),
    roundId: text().notNull(),
    shares: integer().notNull(),
    acquiredAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.roundId] }), index("share_holdings_round_idx").on(t.roundId), check("share_holdings_positive", sql`shares > 0`)],
);

/**
 * The distinct shareholders across all rounds — members with a live subscription or a holding — as ONE row
 * whose CHECK keeps them under the cap (Securities Law art. 9: more than 200 specific people is a public
 * offering). The batch that first reserves for a new member raises `holders` and writes the current cap
 * setting into `cap`; a concurrent batch for another new member then aborts on the CHECK. The legal ceiling
 * of 200 is a CHECK too, whatever the setting says.
 */
export const shareholderCount = sqliteTable(
  "shareholder_count",
  {
    id: text().primaryKey(),
    holders: integer().notNull().default(0),
    cap: integer().notNull().default(200),
  },
  () => [check("shareholder_count_within_cap", sql`holders >= 0 AND holders <= cap AND cap <= 200`)],
);

/**
 * Profit moved from recognised revenue into the dividend pool. `covered` is computed in the allocating batch
 * from the revenue account after the transfer: a CHECK(covered = 1) rolls back an allocation that revenue
 * cannot cover, transfer included.
 */
export const dividendAllocations = sqliteTable(
  "dividend_allocations",
  {
    id: text().primaryKey(),
    amountFen: integer().notNull(),
    reason: text().notNull(),
    actorId: text().notNull(),
    covered: integer().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  () => [check("dividend_allocations_positive", sql`amount_fen > 0`), check("dividend_allocations_covered", sql`covered = 1`)],
);

/**
 * A dividend declared for a period (and optionally one round's holders). The split over holders is fixed in
 * `dividend_lines` when it is declared; paying then credits each line once. `covered` is computed in the
 * declaring batch: the pool must hold this amount plus everything still unpaid of earlier declarations.
 */
export const dividendDeclarations = sqliteTable(
  "dividend_declarations",
  {
    id: text().primaryKey(),
    period: text().notNull(),
    /** '' for every holder; a round id for that round's holders only. */
    roundScope: text().notNull().default(""),
    amountFen: integer().notNull(),
    totalShares: integer().notNull(),
    holderCount: integer().notNull(),
    status: text({ enum: ["paying", "paid"] }).notNull(),
    actorId: text().notNull(),
    covered: integer().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    completedAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("dividend_declarations_period").on(t.period, t.roundScope),
    index("dividend_declarations_status_idx").on(t.status),
    check("dividend_declarations_positive", sql`amount_fen > 0 AND total_shares > 0`),
    check("dividend_declarations_covered", sql`covered = 1`),
  ],
);

/** One holder's part of a declaration (largest remainder); `paid_at` is set in the batch that credits it. */
export const dividendLines = sqliteTable(
  "dividend_lines",
  {
    declarationId: text().notNull(),
    memberId: text().notNull(),
    shares: integer().notNull(),
    amountFen: integer().notNull(),
    paidAt: integer({ mode: "timestamp_ms" }),
  },
  (t) => [
    primaryKey({ columns: [t.declarationId, t.memberId] }),
    index("dividend_lines_member_idx").on(t.memberId),
    check("dividend_lines_amount", sql`shares > 0 AND amount_fen >= 0`),
  ],
);

/**
 * One row per closed round, inserted last in the closing batch. `gate` is computed from the round's `close_id`
 * stamp, so a closing batch whose guarded UPDATE did not apply (already closed, or a payment changed the shares
 * sold since the job read them) fails CHECK(gate = 1) and rolls back whole, ledger transfers included.
 */
export const roundClosings = sqliteTable(
  "round_closings",
  {
    roundId: text().primaryKey(),
    outcome: text({ enum: ["succeeded", "failed"] }).notNull(),
    soldShares: integer().notNull(),
    escrowFen: integer().notNull(),
    gate: integer().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  () => [check("round_closings_gate", sql`gate = 1`)],
);
