import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expireReservationStatements } from "../../worker/crowdfunding/subscriptions";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { openRound, paySubscription, roundRow, seedMember, seedMembers, subscribe } from "./support";

const HOUR = 3_600_000;

describe("subscribing to a round", () => {
  it("reserves shares at the round's price and records the acknowledged disclosure version", async () => {
    const token = await seedMember("sub-one");
    const id = await openRound();
    const res = await subscribe(token, id, 3);
    expect(res.status).toBe(201);
    expect(res.body.subscription).toMatchObject({ roundId: id, shares: 3, amountFen: 300_000, status: "reserved", disclosureVersion: 1 });
    expect(Date.parse(res.body.subscription.disclosureAckedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(await roundRow(id)).toMatchObject({ reserved_shares: 3, sold_shares: 0 });
    expect((await subscribe(token, id, 1)).body).toMatchObject({ status: 409, type: "/problems/already-subscribed" });
  });

  it("is refused outside the window, for an outdated disclosure and outside min/max, writing nothing", async () => {
    const token = await seedMember("sub-window");
    const early = await openRound({ opensAt: new Date(Date.now() + HOUR).toISOString() });
    expect((await subscribe(token, early, 1)).body).toMatchObject({ status: 409, type: "/problems/round-not-open" });
    const id = await openRound({ minShares: 2, maxShares: 5 });
    expect((await subscribe(token, id, 1, 0)).status).toBe(422);
    expect((await subscribe(token, id, 2, 2)).body).toMatchObject({ status: 409, type: "/problems/disclosure-outdated" });
    expect((await subscribe(token, id, 1)).status).toBe(422);
    expect((await subscribe(token, id, 6)).status).toBe(422);
    await env.DB.prepare("UPDATE rounds SET closes_at = ? WHERE id = ?").bind(Date.now() - 1, id).run();
    expect((await subscribe(token, id, 2)).body).toMatchObject({ status: 409, type: "/problems/round-not-open" });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM share_subscriptions WHERE member_id = 'sub-window'").first<{ n: number }>())!.n).toBe(0);
    expect(await roundRow(id)).toMatchObject({ reserved_shares: 0 });
  });

  it("gives the last 10 shares to exactly 10 of 200 concurrent subscribers", async () => {
    const tokens = await seedMembers("race", 200);
    const id = await openRound({ totalShares: 100, maxShares: 90, targetShares: 10 });
    const first = await seedMember("race-first");
    expect((await subscribe(first, id, 90)).status).toBe(201);
    const results = await Promise.all(tokens.map((t) => subscribe(t, id, 1)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(10);
    expect(statuses.filter((s) => s !== 201).every((s) => s === 409)).toBe(true);
    expect(results.find((r) => r.status === 409)!.body.type).toBe("/problems/round-full");
    expect(await roundRow(id)).toMatchObject({ reserved_shares: 100, sold_shares: 0 });
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM share_subscriptions WHERE round_id = ? AND status = 'reserved'").bind(id).first<{ n: number }>())!;
    expect(n).toBe(11);
  }, 120_000);

  it("a late payment takes its shares again when there is room; on a full round the money waits in escrow for a refund", async () => {
    const id = await openRound({ totalShares: 10, maxShares: 10, targetShares: 5 });
    const [late, filler, other] = await seedMembers("late", 3);
    const s = (await subscribe(late, id, 5)).body.subscription.id;
    await env.DB.batch(expireReservationStatements(env.DB, s, Date.now()));
    expect(await paySubscription(s)).toBe("paid");
    expect(await roundRow(id)).toMatchObject({ sold_shares: 5, reserved_shares: 0 });

    const s2 = (await subscribe(filler, id, 2)).body.subscription.id;
    await env.DB.batch(expireReservationStatements(env.DB, s2, Date.now()));
    expect((await subscribe(other, id, 5)).status).toBe(201);
    expect(await paySubscription(s2)).toBe("expired");
    expect(await roundRow(id)).toMatchObject({ sold_shares: 5, reserved_shares: 5 });
    const escrow = await env.DB.prepare("SELECT credits_posted FROM accounts WHERE id = ?").bind(`crowdfund_escrow:${id}`).first<{ credits_posted: number }>();
    expect(escrow!.credits_posted).toBe(700_000);
    await expectLedgerInvariants(env.DB);
  });
});
