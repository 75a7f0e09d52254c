import { sql } from "drizzle-orm";
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** One rung of a lot's increment ladder: below `belowFen` (or anywhere, when null) a bid adds `stepFen`. */
export type LadderRung = { belowFen: number | null; stepFen: number };

/**
 * A lot (拍品): an instructor's work sold in a live auction. The lot's Durable Object is the source of truth
 * for bidding; the live columns here (`currentPriceFen` … `liveSeq`) are its mirror, flushed after the bids,
 * for lists and the console. Money is integer fen.
 */
export const lots = sqliteTable(
  "lots",
  {
    id: text().primaryKey(),
    title: text().notNull(),
    instructor: text().notNull().default(""),
    description: text().notNull().default(""),
    startPriceFen: integer().notNull(),
    reservePriceFen: integer(),
    incrementLadder: text({ mode: "json" }).$type<LadderRung[]>().notNull(),
    depositFen: integer().notNull().default(0),
    startsAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** The scheduled end; anti-sniping extensions move `closesAt`, never this. */
    endsAt: integer({ mode: "timestamp_ms" }).notNull(),
    antiSnipeWindowSec: integer().notNull().default(0),
    antiSnipeExtendSec: integer().notNull().default(0),
    antiSnipeMaxExtensions: integer().notNull().default(0),
    paymentDeadlineHours: integer().notNull().default(72),
    /** Whether the winner's purchase pays referral commissions (issue 8: only commissionable kinds pay). */
    commissionable: integer({ mode: "boolean" }).notNull().default(false),
    /** open while bidding may happen; sold / unsold once the lot's object has ended it. */
    status: text({ enum: ["open", "sold", "unsold"] }).notNull().default("open"),
    currentPriceFen: integer(),
    bidCount: integer().notNull().default(0),
    leaderMemberId: text(),
    closesAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** Sequence number of the last bid mirrored here, so a late flush never moves the mirror backwards. */
    liveSeq: integer().notNull().default(0),
    winnerMemberId: text(),
    hammerPriceFen: integer(),
    endedAt: integer({ mode: "timestamp_ms" }),
    createdBy: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("lots_status_starts_idx").on(t.status, t.startsAt, t.id),
    index("lots_status_closes_idx").on(t.status, t.closesAt),
    check("lots_prices", sql`start_price_fen > 0 AND (reserve_price_fen IS NULL OR reserve_price_fen >= start_price_fen) AND deposit_fen >= 0`),
    check("lots_times", sql`ends_at > starts_at AND closes_at >= ends_at`),
  ],
);

/** Public pictures of a lot, stored in R2 under a fresh key per upload (so they can be cached for good). */
export const lotImages = sqliteTable(
  "lot_images",
  {
    id: text().primaryKey(),
    lotId: text().notNull(),
    objectKey: text().notNull(),
    contentType: text().notNull(),
    bytes: integer().notNull(),
    position: integer().notNull().default(0),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("lot_images_lot_idx").on(t.lotId, t.position), uniqueIndex("lot_images_key_idx").on(t.objectKey)],
);

/**
 * Every price a lot reached, in order: a member's own bid (`bid`) or one placed for them by their maximum
 * (`proxy`). Written by the lot's object after the fact; the id `<lotId>:<seq>` makes a repeated flush a no-op.
 */
export const lotBids = sqliteTable(
  "lot_bids",
  {
    id: text().primaryKey(),
    lotId: text().notNull(),
    seq: integer().notNull(),
    memberId: text().notNull(),
    amountFen: integer().notNull(),
    kind: text({ enum: ["bid", "proxy"] }).notNull(),
    placedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [uniqueIndex("lot_bids_lot_seq_idx").on(t.lotId, t.seq), index("lot_bids_member_idx").on(t.memberId, t.lotId)],
);

/**
 * A member's deposit (保证金) for one lot: paid by an `auction_deposit` order into `deposit_held:<member>` and held
 * for the lot by a pending transfer. Bidding needs one `held`. After the lot: `released` (hold voided), then
 * `refunded` (the system refund of the deposit order started; the orders module tracks it to completion), or
 * `forfeited` (an unpaid winner's hold posted to revenue_auction).
 */
export const lotDeposits = sqliteTable(
  "lot_deposits",
  {
    lotId: text().notNull(),
    memberId: text().notNull(),
    orderId: text().notNull(),
    amountFen: integer().notNull(),
    holdTransferId: text(),
    status: text({ enum: ["held", "released", "refunded", "forfeited"] }).notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.lotId, t.memberId] }),
    index("lot_deposits_member_idx").on(t.memberId, t.createdAt),
    // The settlement jobs look for deposits still held (or released and awaiting their refund).
    index("lot_deposits_status_idx").on(t.status, t.lotId),
  ],
);

/**
 * The result of a sold lot: the winner's purchase, their shipping address and the shipment. Written once by the
 * lot's ending (so a second alarm finds it there), then moved on by payment, the deadline and the console.
 */
export const lotSales = sqliteTable(
  "lot_sales",
  {
    lotId: text().primaryKey(),
    winnerMemberId: text().notNull(),
    priceFen: integer().notNull(),
    orderId: text(),
    status: text({ enum: ["awaiting_payment", "paid", "unpaid", "shipped"] }).notNull(),
    paymentDueAt: integer({ mode: "timestamp_ms" }).notNull(),
    /** The address chosen with wx.chooseAddress: { userName, telNumber, provinceName, cityName, countyName, detailInfo, postalCode }. */
    shippingAddress: text({ mode: "json" }).$type<Record<string, string>>(),
    carrier: text(),
    trackingNo: text(),
    shippedAt: integer({ mode: "timestamp_ms" }),
    /** Random id of the batch that last moved the sale (paid or unpaid); gates that batch's other statements. */
    settlementId: text(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [
    index("lot_sales_status_due_idx").on(t.status, t.paymentDueAt),
    index("lot_sales_winner_idx").on(t.winnerMemberId, t.createdAt),
    check("lot_sales_price_positive", sql`price_fen > 0`),
  ],
);

/**
 * One row per money-moving settlement of a lot (`forfeit:<lotId>`), inserted last in its batch. `gate` must be 1 —
 * computed from the batch's own conditional UPDATE — so a batch whose UPDATE did not apply (the winner paid
 * meanwhile, or another run got there first) fails this CHECK and rolls back whole, ledger transfers included.
 */
export const lotSettlements = sqliteTable(
  "lot_settlements",
  {
    id: text().primaryKey(),
    lotId: text().notNull(),
    gate: integer().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [check("lot_settlements_gate", sql`gate = 1`)],
);
