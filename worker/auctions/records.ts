import type { LadderRung } from "../../schema/auctions";
import type { LotRules, PlacedBid, Standing } from "./bidding";

/**
 * What the lot's object reads from and writes to D1. The object reads a lot once (its rules never change while it
 * lives) and writes only after the fact: bid history and the live mirror in batches, the result once.
 */
export type LotConfig = LotRules & { lotId: string; depositFen: number; endsAtMs: number; paymentDeadlineHours: number };

type LotRow = {
  id: string;
  start_price_fen: number;
  reserve_price_fen: number | null;
  increment_ladder: string;
  deposit_fen: number;
  starts_at: number;
  ends_at: number;
  anti_snipe_window_sec: number;
  anti_snipe_extend_sec: number;
  anti_snipe_max_extensions: number;
  payment_deadline_hours: number;
};

export async function readLotConfig(d1: D1Database, lotId: string): Promise<LotConfig | null> {
  const row = await d1
    .prepare(
      `SELECT id, start_price_fen, reserve_price_fen, increment_ladder, deposit_fen, starts_at, ends_at, anti_snipe_window_sec,
              anti_snipe_extend_sec, anti_snipe_max_extensions, payment_deadline_hours FROM lots WHERE id = ?`,
    )
    .bind(lotId)
    .first<LotRow>();
  if (!row) return null;
  return {
    lotId: row.id,
    startPriceFen: row.start_price_fen,
    reservePriceFen: row.reserve_price_fen,
    ladder: JSON.parse(row.increment_ladder) as LadderRung[],
    depositFen: row.deposit_fen,
    startsAtMs: row.starts_at,
    endsAtMs: row.ends_at,
    paymentDeadlineHours: row.payment_deadline_hours,
    antiSnipe: { windowSec: row.anti_snipe_window_sec, extendSec: row.anti_snipe_extend_sec, maxExtensions: row.anti_snipe_max_extensions },
  };
}

/** The history row id: one per (lot, sequence number), so flushing the same bids again changes nothing. */
export const lotBidId = (lotId: string, seq: number) => `${lotId}:${seq}`;

export type StoredBid = PlacedBid & { placedAtMs: number };

/**
 * One flush: the bids (insert-or-nothing by id) and the mirror, which only moves forward (`live_seq`), so a late or
 * repeated flush never shows an older price.
 */
export function flushStatements(d1: D1Database, lotId: string, bids: StoredBid[], standing: Standing, now: number): D1PreparedStatement[] {
  const inserts: D1PreparedStatement[] = [];
  // D1 binds at most 100 parameters per statement: 14 rows of 7 per INSERT, so a flush is a few statements.
  for (let i = 0; i < bids.length; i += BIDS_PER_INSERT) {
    const chunk = bids.slice(i, i + BIDS_PER_INSERT);
    inserts.push(
      d1
        .prepare(`INSERT INTO lot_bids (id, lot_id, seq, member_id, amount_fen, kind, placed_at) VALUES ${chunk.map(() => "(?, ?, ?, ?, ?, ?, ?)").join(", ")} ON CONFLICT (id) DO NOTHING`)
        .bind(...chunk.flatMap((b) => [lotBidId(lotId, b.seq), lotId, b.seq, b.memberId, b.amountFen, b.kind, b.placedAtMs])),
    );
  }
  return [
    ...inserts,
    d1
      .prepare(
        `UPDATE lots SET current_price_fen = ?1, bid_count = ?2, leader_member_id = ?3, closes_at = ?4, live_seq = ?2, updated_at = ?5
         WHERE id = ?6 AND live_seq <= ?2`,
      )
      .bind(standing.priceFen, standing.bidCount, standing.leader?.memberId ?? null, standing.closesAtMs, now, lotId),
  ];
}

const BIDS_PER_INSERT = 14;

export type LotResult = { sold: true; winnerMemberId: string; priceFen: number } | { sold: false };

/**
 * The lot's ending, written once: the status moves from open only once (a second alarm's batch changes nothing),
 * and the sale row is insert-or-nothing.
 */
export function endingStatements(d1: D1Database, config: LotConfig, standing: Standing, result: LotResult, now: number): D1PreparedStatement[] {
  const statements = [
    d1
      .prepare(
        `UPDATE lots SET status = ?, winner_member_id = ?, hammer_price_fen = ?, ended_at = ?, current_price_fen = ?, bid_count = ?,
           leader_member_id = ?, closes_at = ?, live_seq = MAX(live_seq, ?), updated_at = ? WHERE id = ? AND status = 'open'`,
      )
      .bind(
        result.sold ? "sold" : "unsold",
        result.sold ? result.winnerMemberId : null,
        result.sold ? result.priceFen : null,
        now,
        standing.priceFen,
        standing.bidCount,
        standing.leader?.memberId ?? null,
        standing.closesAtMs,
        standing.bidCount,
        now,
        config.lotId,
      ),
  ];
  if (result.sold) {
    statements.push(
      d1
        .prepare(
          `INSERT INTO lot_sales (lot_id, winner_member_id, price_fen, status, payment_due_at, created_at, updated_at)
           VALUES (?, ?, ?, 'awaiting_payment', ?, ?, ?) ON CONFLICT (lot_id) DO NOTHING`,
        )
        .bind(config.lotId, result.winnerMemberId, result.priceFen, now + config.paymentDeadlineHours * 3_600_000, now, now),
    );
  }
  return statements;
}

/**
 * What the lot's object must know before taking a member's bids (issue 13: only from a bidder holding the deposit;
 * the house rule: only a member who exists and is not blocked). One D1 read; the object trusts it for a minute.
 */
export async function bidderStanding(d1: D1Database, lotId: string, memberId: string) {
  const row = await d1
    .prepare(
      `SELECT EXISTS (SELECT 1 FROM members WHERE id = ?1) AS member,
              EXISTS (SELECT 1 FROM members WHERE id = ?1 AND blocked_at IS NOT NULL) AS blocked,
              EXISTS (SELECT 1 FROM lot_deposits WHERE lot_id = ?2 AND member_id = ?1 AND status = 'held') AS held`,
    )
    .bind(memberId, lotId)
    .first<{ member: number; blocked: number; held: number }>();
  return { exists: row?.member === 1, blocked: row?.blocked === 1, holdsDeposit: row?.held === 1 };
}
