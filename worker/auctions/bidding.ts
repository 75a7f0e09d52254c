import type { LadderRung } from "../../schema/auctions";

/**
 * The bidding rules of one lot, pure: the lot's Durable Object feeds them one bid at a time, in arrival order,
 * and stores what they return. Nothing here reads a clock or a database, so every rule is testable on its own.
 */
export type LotRules = {
  startPriceFen: number;
  reservePriceFen: number | null;
  ladder: LadderRung[];
  startsAtMs: number;
  antiSnipe: { windowSec: number; extendSec: number; maxExtensions: number };
};

/** Who leads and up to what: `maxFen` is their proxy ceiling, `sinceSeq` orders maxima for the tie rule. */
export type Leader = { memberId: string; maxFen: number; sinceSeq: number };

export type Standing = {
  priceFen: number | null;
  leader: Leader | null;
  closesAtMs: number;
  extensions: number;
  /** Number of prices the lot has reached (rows of its bid history); also the last bid's sequence number. */
  bidCount: number;
};

export type PlacedBid = { seq: number; memberId: string; amountFen: number; kind: "bid" | "proxy" };
export type BidInput = { memberId: string; amountFen: number; maxFen?: number | null; atMs: number };

export type Refusal = "lot-not-started" | "lot-closed" | "bid-too-low";
export type BidOutcome =
  | { ok: false; reason: Refusal }
  /** `leading: false` means the bid was placed but another bidder's earlier, higher (or equal) maximum answered it. */
  | { ok: true; leading: boolean; placed: PlacedBid[]; standing: Standing; extended: boolean };

/** The increment at a price: the first rung the price is below, else the last (unbounded) rung. */
export function stepAt(ladder: LadderRung[], priceFen: number): number {
  for (const rung of ladder) if (rung.belowFen === null || priceFen < rung.belowFen) return rung.stepFen;
  return ladder[ladder.length - 1].stepFen;
}

/** The lowest amount the next bid may name: the start price, then the current price plus the ladder's step. */
export function nextMinFen(rules: LotRules, standing: Standing): number {
  return standing.priceFen === null ? rules.startPriceFen : standing.priceFen + stepAt(rules.ladder, standing.priceFen);
}

/**
 * Judges one bid against the standing (English auction with proxy bidding, as eBay's):
 * - a bid must reach `nextMinFen`; its maximum is `max(amountFen, maxFen)`;
 * - the higher maximum leads, at one step above the other maximum (never above its own maximum, never below
 *   the amount its bidder named); equal maxima: the EARLIER one leads;
 * - a leader raising their own maximum does not bid against themself (the price stays);
 * - a leading maximum at or above the reserve lifts the price to the reserve, so a reserve is met when it can be;
 * - any price change in the last `windowSec` extends the close by `extendSec`, at most `maxExtensions` times.
 * The placed bids are strictly increasing, and the last one is the leader's.
 */
export function judgeBid(rules: LotRules, standing: Standing, bid: BidInput): BidOutcome {
  if (bid.atMs < rules.startsAtMs) return { ok: false, reason: "lot-not-started" };
  if (bid.atMs >= standing.closesAtMs) return { ok: false, reason: "lot-closed" };
  if (bid.amountFen < nextMinFen(rules, standing)) return { ok: false, reason: "bid-too-low" };

  const bidderMax = Math.max(bid.amountFen, bid.maxFen ?? 0);
  const leader = standing.leader;
  const rows: Omit<PlacedBid, "seq">[] = [];
  const kindOf = (amountFen: number, named: number): PlacedBid["kind"] => (amountFen === named ? "bid" : "proxy");
  let next: Leader;
  let priceFen: number;

  if (!leader) {
    next = { memberId: bid.memberId, maxFen: bidderMax, sinceSeq: standing.bidCount + 1 };
    priceFen = bid.amountFen;
    rows.push({ memberId: bid.memberId, amountFen: priceFen, kind: "bid" });
  } else if (leader.memberId === bid.memberId) {
    next = bidderMax > leader.maxFen ? { ...leader, maxFen: bidderMax, sinceSeq: standing.bidCount + 1 } : leader;
    priceFen = standing.priceFen!;
  } else if (bidderMax > leader.maxFen) {
    // The newcomer's maximum wins: the old leader's proxy is spent up to its maximum first.
    if (leader.maxFen > standing.priceFen!) rows.push({ memberId: leader.memberId, amountFen: leader.maxFen, kind: "proxy" });
    priceFen = Math.max(bid.amountFen, Math.min(bidderMax, leader.maxFen + stepAt(rules.ladder, leader.maxFen)));
    next = { memberId: bid.memberId, maxFen: bidderMax, sinceSeq: standing.bidCount + 1 };
    rows.push({ memberId: bid.memberId, amountFen: priceFen, kind: kindOf(priceFen, bid.amountFen) });
  } else {
    // The leader's maximum answers: the newcomer's bid stands at its maximum, then the leader's proxy goes above
    // it. On a tie the earlier maximum (the leader's) keeps the lead at that amount.
    next = leader;
    if (bidderMax < leader.maxFen) {
      rows.push({ memberId: bid.memberId, amountFen: bidderMax, kind: kindOf(bidderMax, bid.amountFen) });
      priceFen = Math.min(leader.maxFen, bidderMax + stepAt(rules.ladder, bidderMax));
    } else {
      priceFen = leader.maxFen;
    }
    rows.push({ memberId: leader.memberId, amountFen: priceFen, kind: "proxy" });
  }

  const reserve = rules.reservePriceFen;
  if (reserve !== null && priceFen < reserve && next.maxFen >= reserve) {
    priceFen = reserve;
    const last = rows[rows.length - 1];
    if (last && last.memberId === next.memberId) rows[rows.length - 1] = { ...last, amountFen: reserve, kind: kindOf(reserve, bid.amountFen) };
    else rows.push({ memberId: next.memberId, amountFen: reserve, kind: "proxy" });
  }

  const placed = rows.map((r, i) => ({ ...r, seq: standing.bidCount + i + 1 }));
  let { closesAtMs, extensions } = standing;
  const { windowSec, extendSec, maxExtensions } = rules.antiSnipe;
  const extended = placed.length > 0 && extendSec > 0 && extensions < maxExtensions && closesAtMs - bid.atMs <= windowSec * 1000;
  if (extended) {
    closesAtMs += extendSec * 1000;
    extensions += 1;
  }
  return {
    ok: true,
    leading: next.memberId === bid.memberId,
    placed,
    extended,
    standing: { priceFen, leader: next, closesAtMs, extensions, bidCount: standing.bidCount + placed.length },
  };
}

/** The lot's result when it closes: sold to the leader when there is one and the reserve (if any) is met. */
export function hammer(rules: LotRules, standing: Standing): { sold: true; winnerMemberId: string; priceFen: number } | { sold: false } {
  if (!standing.leader || standing.priceFen === null) return { sold: false };
  if (rules.reservePriceFen !== null && standing.priceFen < rules.reservePriceFen) return { sold: false };
  return { sold: true, winnerMemberId: standing.leader.memberId, priceFen: standing.priceFen };
}
