import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { metered } from "../support/round-trips";
import { openRound, roundRow, seedMember } from "./support";

const subscribeMetered = (token: string, roundId: string, body: unknown) => metered(`/api/rounds/${roundId}/subscriptions`, { token, json: body });

describe("what a subscription costs in D1 (at most two round trips)", () => {
  it("reserves the shares and places the order in one batch, then stores WeChat's prepay id: two round trips", async () => {
    const roundId = await openRound();
    const token = await seedMember("rt-first");
    const res = await subscribeMetered(token, roundId, { shares: 2, disclosureVersion: 1 });
    expect(res.status).toBe(201);
    expect(res.roundTrips).toBe(2);
    expect(res.trips.map((t) => t.kind)).toEqual(["batch", "statement"]);
    expect(res.body.order).toMatchObject({ amountFen: 200_000, status: "pending" });
    expect(res.body.subscription).toMatchObject({ shares: 2, status: "reserved" });
    const stored = await env.DB.prepare("SELECT s.order_id, o.prepay_id, o.description FROM share_subscriptions s JOIN orders o ON o.id = s.order_id WHERE s.id = ?")
      .bind(res.body.subscription.id).first<{ order_id: string; prepay_id: string | null; description: string }>();
    expect(stored).toMatchObject({ order_id: res.body.order.id, description: "认购：第一期渠道合伙人众筹" });
    expect(stored!.prepay_id).toBeTruthy();
    expect(await roundRow(roundId)).toMatchObject({ reserved_shares: 2 });

    // Asking again for the same shares: the same order, re-signed from its stored prepay id, in one round trip.
    const again = await subscribeMetered(token, roundId, { shares: 2, disclosureVersion: 1 });
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(res.body.order.id);
    expect(again.roundTrips).toBe(1);
  });

  it("refuses in its one batch: a full round, a second subscription, an outdated disclosure — nothing written", async () => {
    const roundId = await openRound({ totalShares: 3, maxShares: 3, targetShares: 3 });
    const first = await subscribeMetered(await seedMember("rt-full-1"), roundId, { shares: 3, disclosureVersion: 1 });
    expect(first.status).toBe(201);
    const full = await subscribeMetered(await seedMember("rt-full-2"), roundId, { shares: 1, disclosureVersion: 1 });
    expect([full.status, full.body.type, full.roundTrips]).toEqual([409, "/problems/round-full", 1]);
    const outdated = await subscribeMetered(await seedMember("rt-full-3"), roundId, { shares: 1, disclosureVersion: 2 });
    expect([outdated.status, outdated.body.type, outdated.roundTrips]).toEqual([409, "/problems/disclosure-outdated", 1]);
    expect(await roundRow(roundId)).toMatchObject({ reserved_shares: 3, sold_shares: 0 });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE kind = 'share_subscription' AND subject_id LIKE ?").bind(`sub.${roundId}.%`).first("n")).toBe(1);
  });

  it("a member the round is not offered to gets 404 from the same batch; only bad input pays one more read for it", async () => {
    const roundId = await openRound();
    const token = await seedMember("rt-outsider", "member");
    const valid = await subscribeMetered(token, roundId, { shares: 1, disclosureVersion: 1 });
    expect([valid.status, valid.roundTrips]).toEqual([404, 1]);
    const invalid = await subscribeMetered(token, roundId, { shares: "many" });
    expect([invalid.status, invalid.roundTrips]).toEqual([404, 1]);
    expect(await roundRow(roundId)).toMatchObject({ reserved_shares: 0 });
  });
});
