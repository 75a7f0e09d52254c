import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { scaleCounts, scaleCountsQuery, type ScaleFacts } from "../../scripts/scale-seed-sql.mjs";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { FACTOR, loadScaleData } from "./support";

const all = async <T>(sql: string) => (await env.DB.prepare(sql).all<T>()).results;
const one = async <T>(sql: string) => (await env.DB.prepare(sql).first<T>())!;

let facts: ScaleFacts;
beforeAll(async () => {
  facts = await loadScaleData();
}, 120_000);

describe("the scale data", () => {
  it("has the shape the factor asks for", async () => {
    const want = scaleCounts(FACTOR);
    const got = await one<Record<string, number>>(scaleCountsQuery);
    expect(got.members).toBe(want.members + 1); // and the admin who decided the withdrawals
    expect(got.courses).toBe(want.courses);
    expect(got.orders).toBe(want.orders + want.round1Holders + want.round2Subscribers);
    expect(got.transfers).toBe(want.transfers);
    expect(got.lots).toBe(want.lots);
    expect(got.bids).toBe(want.lots * want.bidsPerLot);
    expect(got.withdrawals).toBeGreaterThanOrEqual(want.heroWithdrawals);
    expect(await one(`SELECT count(*) AS n FROM members WHERE referrer_id = '${facts.memberId}'`)).toEqual({ n: want.heroTeam });
  });

  it("keeps every ledger invariant: balanced transfers, accounts equal to their journal, nothing overdrawn", async () => {
    await expectLedgerInvariants(env.DB);
  });

  it("pays commissions exactly as each order's snapshot says, on two levels at most, to the buyer's uplines", async () => {
    const wrong = await all(`
      SELECT c.id FROM commissions c JOIN orders o ON o.id = c.order_id
      WHERE o.status <> 'paid' OR c.level NOT IN (1, 2) OR c.base_fen <> o.amount_fen
         OR c.earner_id IS NOT (CASE c.level WHEN 1 THEN o.referrer1_id ELSE o.referrer2_id END)
         OR c.amount_fen <> c.base_fen * c.rate_bps / 10000
         OR NOT EXISTS (SELECT 1 FROM json_each(o.commission_plan, '$.earners') e WHERE json_extract(e.value, '$.level') = c.level
              AND json_extract(e.value, '$.earnerId') = c.earner_id AND json_extract(e.value, '$.rateBps') = c.rate_bps)
      LIMIT 5`);
    expect(wrong).toEqual([]);
    const planned = await one<{ n: number }>(`SELECT count(*) AS n FROM orders o, json_each(o.commission_plan, '$.earners') WHERE o.status = 'paid'`);
    expect(await one(`SELECT count(*) AS n FROM commissions`)).toEqual(planned);
    expect(planned.n).toBeGreaterThan(0);
    // The referral chain is what the orders snapshotted: level 2 is the referrer's referrer.
    expect(await all(`SELECT o.id FROM orders o JOIN members b ON b.id = o.member_id LEFT JOIN members r ON r.id = b.referrer_id
      WHERE o.kind = 'course' AND o.member_id <> '${facts.memberId}' AND (o.referrer1_id IS NOT b.referrer_id OR o.referrer2_id IS NOT r.referrer_id) LIMIT 5`)).toEqual([]);
  });

  it("moves each commission's money with it: accrued frozen, settled available, every paid order posted once", async () => {
    expect(await all(`
      SELECT a.id FROM accounts a LEFT JOIN (SELECT earner_id, sum(amount_fen) AS accrued, sum(settled_fen) AS settled FROM commissions GROUP BY earner_id) c
        ON a.owner = c.earner_id
      WHERE (a.code = 'commission_frozen' AND (a.credits_posted <> c.accrued OR a.debits_posted <> c.settled))
         OR (a.code = 'commission_available' AND a.owner GLOB 'sm_*' AND a.credits_posted <> c.settled)
      LIMIT 5`)).toEqual([]);
    expect(await all(`SELECT o.id FROM orders o WHERE o.status = 'paid'
      AND (SELECT count(*) FROM transfers t WHERE t.reference = 'order:' || o.id AND t.code IN ('course_sale', 'share_subscription')) <> 1 LIMIT 5`)).toEqual([]);
    expect(await all(`SELECT c.id FROM commissions c WHERE c.status = 'available'
      AND NOT EXISTS (SELECT 1 FROM commission_movements m WHERE m.id = c.id || ':settle' AND m.amount_fen = c.settled_fen) LIMIT 5`)).toEqual([]);
  });

  it("reserves what pending withdrawals owe and pays out what paid ones did", async () => {
    expect(await all(`
      SELECT w.member_id FROM withdrawals w JOIN accounts a ON a.id = 'payout_in_flight:' || w.member_id
      GROUP BY w.member_id, a.credits_pending, a.credits_posted, a.debits_posted
      HAVING a.credits_pending <> sum(CASE w.status WHEN 'pending' THEN w.net_fen ELSE 0 END)
          OR a.credits_posted <> sum(CASE w.status WHEN 'paid' THEN w.net_fen ELSE 0 END) OR a.debits_posted <> a.credits_posted
      LIMIT 5`)).toEqual([]);
  });

  it("keeps the shareholders within the legal cap, and the rounds' shares with their subscriptions", async () => {
    const count = await one<{ holders: number; cap: number }>("SELECT holders, cap FROM shareholder_count WHERE id = 'all'");
    expect(count.holders).toBeLessThanOrEqual(count.cap);
    expect(count.cap).toBeLessThanOrEqual(200);
    expect(await one("SELECT count(*) AS n FROM (SELECT member_id FROM share_subscriptions WHERE status = 'paid' UNION SELECT member_id FROM share_holdings)")).toEqual({ n: count.holders });
    expect(await all(`SELECT r.id FROM rounds r WHERE r.sold_shares <> (SELECT sum(shares) FROM share_subscriptions s WHERE s.round_id = r.id AND s.status = 'paid')`)).toEqual([]);
    expect(await one(`SELECT count(*) AS n FROM share_holdings WHERE member_id = '${facts.memberId}'`)).toEqual({ n: 1 });
  });

  it("ends every lot on its last bid", async () => {
    expect(await all(`SELECT l.id FROM lots l WHERE l.bid_count <> (SELECT count(*) FROM lot_bids b WHERE b.lot_id = l.id)
      OR l.leader_member_id IS NOT (SELECT member_id FROM lot_bids b WHERE b.lot_id = l.id ORDER BY seq DESC LIMIT 1)
      OR l.current_price_fen <> (SELECT max(amount_fen) FROM lot_bids b WHERE b.lot_id = l.id) OR l.reserve_price_fen <= l.current_price_fen`)).toEqual([]);
  });
});
