import { describe, expect, it } from "vitest";
import { hammer, judgeBid, nextMinFen, stepAt, type LotRules, type Standing } from "../../worker/auctions/bidding";
import { LADDER } from "./support";

const T0 = 1_800_000_000_000;
const rules = (o: Partial<LotRules> = {}): LotRules => ({
  startPriceFen: 50_000,
  reservePriceFen: null,
  ladder: LADDER,
  startsAtMs: T0,
  antiSnipe: { windowSec: 0, extendSec: 0, maxExtensions: 0 },
  ...o,
});
const fresh = (closesAtMs = T0 + 3_600_000): Standing => ({ priceFen: null, leader: null, closesAtMs, extensions: 0, bidCount: 0 });

/** Feeds bids in order, as the lot's object does; returns the final standing and every placed bid. */
function run(r: LotRules, bids: { memberId: string; amountFen: number; maxFen?: number; atMs?: number }[], start = fresh()) {
  let standing = start;
  const placed = [];
  const outcomes = [];
  for (const b of bids) {
    const o = judgeBid(r, standing, { atMs: T0 + 1000, ...b });
    outcomes.push(o);
    if (o.ok) {
      standing = o.standing;
      placed.push(...o.placed);
    }
  }
  return { standing, placed, outcomes };
}

describe("increment ladder", () => {
  it("steps ¥10 below ¥1,000, ¥50 below ¥5,000 and ¥100 above", () => {
    expect(stepAt(LADDER, 99_999)).toBe(1_000);
    expect(stepAt(LADDER, 100_000)).toBe(5_000);
    expect(stepAt(LADDER, 499_999)).toBe(5_000);
    expect(stepAt(LADDER, 500_000)).toBe(10_000);
  });

  it("asks the start price first, then the current price plus the step at that price", () => {
    const r = rules();
    expect(nextMinFen(r, fresh())).toBe(50_000);
    const { standing } = run(r, [{ memberId: "a", amountFen: 98_000 }]);
    expect(nextMinFen(r, standing)).toBe(99_000);
    const higher = run(r, [{ memberId: "a", amountFen: 100_000 }]).standing;
    expect(nextMinFen(r, higher)).toBe(105_000);
  });

  it("refuses a bid below the next valid amount, before the start and at the close", () => {
    const r = rules();
    const { standing } = run(r, [{ memberId: "a", amountFen: 50_000 }]);
    expect(judgeBid(r, standing, { memberId: "b", amountFen: 50_500, atMs: T0 + 1 })).toEqual({ ok: false, reason: "bid-too-low" });
    expect(judgeBid(r, fresh(), { memberId: "b", amountFen: 60_000, atMs: T0 - 1 })).toEqual({ ok: false, reason: "lot-not-started" });
    expect(judgeBid(r, standing, { memberId: "b", amountFen: 60_000, atMs: standing.closesAtMs })).toEqual({ ok: false, reason: "lot-closed" });
  });
});

describe("proxy bids", () => {
  it("bid for the maximum's owner one step above a rival, never above the maximum", () => {
    const { standing, placed } = run(rules(), [
      { memberId: "a", amountFen: 50_000, maxFen: 80_000 },
      { memberId: "b", amountFen: 60_000 },
    ]);
    expect(standing.leader?.memberId).toBe("a");
    expect(standing.priceFen).toBe(61_000);
    expect(placed.map((p) => [p.memberId, p.amountFen, p.kind])).toEqual([
      ["a", 50_000, "bid"],
      ["b", 60_000, "bid"],
      ["a", 61_000, "proxy"],
    ]);
  });

  it("a higher maximum takes the lead one step above the beaten maximum", () => {
    const { standing, placed, outcomes } = run(rules(), [
      { memberId: "a", amountFen: 50_000, maxFen: 80_000 },
      { memberId: "b", amountFen: 51_000, maxFen: 120_000 },
    ]);
    expect(outcomes[1]).toMatchObject({ ok: true, leading: true });
    expect(standing).toMatchObject({ priceFen: 81_000, leader: { memberId: "b", maxFen: 120_000 } });
    expect(placed.slice(1).map((p) => [p.memberId, p.amountFen, p.kind])).toEqual([
      ["a", 80_000, "proxy"],
      ["b", 81_000, "proxy"],
    ]);
  });

  it("on equal maxima the earlier one keeps the lead, at that maximum", () => {
    const { standing, outcomes } = run(rules(), [
      { memberId: "a", amountFen: 50_000, maxFen: 90_000 },
      { memberId: "b", amountFen: 60_000, maxFen: 90_000 },
    ]);
    expect(outcomes[1]).toMatchObject({ ok: true, leading: false });
    expect(standing).toMatchObject({ priceFen: 90_000, leader: { memberId: "a" } });
    const later = run(rules(), [
      { memberId: "b", amountFen: 60_000, maxFen: 90_000 },
      { memberId: "a", amountFen: 61_000, maxFen: 90_000 },
    ]).standing;
    expect(later.leader?.memberId).toBe("b");
  });

  it("a leader raising their maximum does not bid against themself", () => {
    const { standing, placed } = run(rules(), [
      { memberId: "a", amountFen: 50_000 },
      { memberId: "a", amountFen: 51_000, maxFen: 200_000 },
    ]);
    expect(standing).toMatchObject({ priceFen: 50_000, leader: { memberId: "a", maxFen: 200_000 } });
    expect(placed).toHaveLength(1);
  });

  it("every placed sequence is strictly increasing, whatever the order of bids", () => {
    const bids = Array.from({ length: 60 }, (_, i) => ({
      memberId: `m${i % 7}`,
      amountFen: 50_000 + ((i * 7919) % 40) * 1_000,
      maxFen: i % 3 === 0 ? 50_000 + ((i * 104729) % 90) * 1_000 : undefined,
    })).map((b) => ({ ...b, maxFen: b.maxFen !== undefined && b.maxFen < b.amountFen ? undefined : b.maxFen }));
    const { placed } = run(rules(), bids);
    for (let i = 1; i < placed.length; i++) {
      expect(placed[i].amountFen).toBeGreaterThan(placed[i - 1].amountFen);
      expect(placed[i].seq).toBe(placed[i - 1].seq + 1);
    }
  });
});

describe("reserve", () => {
  it("is met when a maximum reaches it: the price rises to the reserve", () => {
    const r = rules({ reservePriceFen: 100_000 });
    const { standing } = run(r, [{ memberId: "a", amountFen: 50_000, maxFen: 150_000 }]);
    expect(standing.priceFen).toBe(100_000);
    expect(hammer(r, standing)).toEqual({ sold: true, winnerMemberId: "a", priceFen: 100_000 });
  });

  it("leaves the lot unsold when no bid reaches it", () => {
    const r = rules({ reservePriceFen: 100_000 });
    const { standing } = run(r, [
      { memberId: "a", amountFen: 50_000 },
      { memberId: "b", amountFen: 90_000 },
    ]);
    expect(hammer(r, standing)).toEqual({ sold: false });
    expect(hammer(r, fresh())).toEqual({ sold: false });
  });
});

describe("anti-sniping", () => {
  const r = rules({ antiSnipe: { windowSec: 30, extendSec: 60, maxExtensions: 2 } });
  const closes = T0 + 100_000;

  it("a bid in the last N seconds extends the end by M seconds, at most K times", () => {
    const late = closes - 10_000;
    const { standing, outcomes } = run(
      r,
      [
        { memberId: "a", amountFen: 50_000, atMs: late },
        { memberId: "b", amountFen: 51_000, atMs: late + 60_000 },
        { memberId: "a", amountFen: 52_000, atMs: late + 120_000 },
      ],
      fresh(closes),
    );
    expect(outcomes.map((o) => o.ok && o.extended)).toEqual([true, true, false]);
    expect(standing.closesAtMs).toBe(closes + 120_000);
    expect(standing.extensions).toBe(2);
  });

  it("a bid before the window does not extend", () => {
    const { standing } = run(r, [{ memberId: "a", amountFen: 50_000, atMs: closes - 31_000 }], fresh(closes));
    expect(standing.closesAtMs).toBe(closes);
  });
});
