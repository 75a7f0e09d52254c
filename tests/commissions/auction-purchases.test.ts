import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { readCommissionSnapshot } from "../../worker/commissions/plan";
import { createOrder } from "../../worker/orders/create";
import { shareSubscriptionKind } from "../../worker/crowdfunding/order-kind";
import { auctionDepositKind } from "../../worker/auctions/deposit-kind";
import { createDb } from "../../worker/http/middleware";
import { deliver, orderRow, sandboxPay } from "../orders/support";
import { api, bid, createLot, endLot } from "../auctions/support";
import { openRound, paySubscription, subscribe } from "../crowdfunding/support";
import { accountsOf, chain, checkLedgerAfterEach, commissionsOf, refundOrder } from "./support";

checkLedgerAfterEach();

const HAMMER = 60_000;

const lifetimeSpend = async (memberId: string) =>
  (await env.DB.prepare("SELECT lifetime_fen FROM member_spend WHERE member_id = ?").bind(memberId).first<number>("lifetime_fen")) ?? 0;

/** `buyer` wins a lot at the hammer price and places (but does not pay) its purchase order. */
async function wonLot(buyerToken: string, commissionable: boolean): Promise<string> {
  const lot = await createLot({ commissionable, startPriceFen: HAMMER });
  expect((await bid(lot.id, buyerToken, { amountFen: HAMMER })).status).toBe(200);
  await endLot(lot.id);
  const purchase = await api(`/api/lots/${lot.id}/purchase`, { method: "POST", token: buyerToken });
  expect(purchase.status).toBe(201);
  expect(purchase.body.order).toMatchObject({ kind: "auction_purchase", amountFen: HAMMER });
  return purchase.body.order.id as string;
}

async function pay(orderId: string) {
  expect((await deliver(await sandboxPay(orderId))).status).toBe(204);
}

describe("auction purchases pay commissions only when the lot is configured to", () => {
  it("a lot configured to pay: the winner's two uplines earn on payment, and a refund reverses it like a course's", async () => {
    const [buyer] = await chain([["al-buyer", "member"], ["al-l1", "promoter"], ["al-l2", "channel_partner"], ["al-l3", "shareholder"]]);
    const orderId = await wonLot(buyer, true);
    // Snapshotted when the order is placed; nothing is earned before the money arrives.
    expect(await orderRow(orderId)).toMatchObject({ referrer1_id: "al-l1", referrer2_id: "al-l2" });
    expect(await commissionsOf(orderId)).toEqual([]);

    await pay(orderId);
    // promoter level 1 at 10%, channel partner level 2 at 5%; nobody three levels up.
    expect((await commissionsOf(orderId)).map((c) => [c.earner_id, c.level, c.rate_bps, c.amount_fen, c.status])).toEqual([
      ["al-l1", 1, 1000, 6000, "frozen"],
      ["al-l2", 2, 500, 3000, "frozen"],
    ]);
    expect(await accountsOf("al-l1")).toMatchObject({ frozen: 6000, available: 0 });
    expect(await accountsOf("al-l2")).toMatchObject({ frozen: 3000 });
    expect(await accountsOf("al-l3")).toMatchObject({ frozen: 0 });
    expect(await lifetimeSpend("al-buyer")).toBe(HAMMER);

    await refundOrder(orderId, HAMMER / 2);
    expect((await commissionsOf(orderId)).map((c) => [c.earner_id, c.cancelled_fen, c.status])).toEqual([["al-l1", 3000, "frozen"], ["al-l2", 1500, "frozen"]]);
    await refundOrder(orderId);
    expect((await commissionsOf(orderId)).map((c) => [c.earner_id, c.cancelled_fen, c.status])).toEqual([["al-l1", 6000, "cancelled"], ["al-l2", 3000, "cancelled"]]);
    expect(await accountsOf("al-l1")).toMatchObject({ frozen: 0, available: 0, debt: 0 });
    expect(await accountsOf("al-l2")).toMatchObject({ frozen: 0 });
    expect(await lifetimeSpend("al-buyer")).toBe(0);
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded", refunded_fen: HAMMER });
  });

  it("a lot not configured to pay: the same chain earns nothing, and the purchase does not count as spend", async () => {
    const [buyer] = await chain([["an-buyer", "member"], ["an-l1", "promoter"], ["an-l2", "channel_partner"]]);
    const orderId = await wonLot(buyer, false);
    expect(await orderRow(orderId)).toMatchObject({ referrer1_id: null, referrer2_id: null, commission_plan: "[]" });
    await pay(orderId);
    expect(await orderRow(orderId)).toMatchObject({ status: "paid" });
    expect(await commissionsOf(orderId)).toEqual([]);
    expect(await accountsOf("an-l1")).toMatchObject({ frozen: 0, available: 0 });
    expect(await accountsOf("an-l2")).toMatchObject({ frozen: 0 });
    expect(await lifetimeSpend("an-buyer")).toBe(0);

    await refundOrder(orderId);
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded" });
    expect(await commissionsOf(orderId)).toEqual([]);
  });
});

describe("kinds that never pay commissions", () => {
  it("a crowdfunding subscription pays its investor's uplines nothing", async () => {
    const [investor] = await chain([["cf-investor", "channel_partner"], ["cf-l1", "shareholder"], ["cf-l2", "shareholder"]]);
    const round = await openRound();
    const sub = await subscribe(investor, round, 2);
    expect(sub.status).toBe(201);
    expect(await paySubscription(sub.body.subscription.id)).toBe("paid");
    expect(await orderRow(sub.body.order.id)).toMatchObject({ status: "paid", referrer1_id: null, commission_plan: "[]" });
    expect(await commissionsOf(sub.body.order.id)).toEqual([]);
    expect(await accountsOf("cf-l1")).toMatchObject({ frozen: 0, available: 0 });
    expect(await accountsOf("cf-l2")).toMatchObject({ frozen: 0 });
  });

  it("refuses a commission snapshot for a subscription or a deposit, whoever passes one", async () => {
    await chain([["nv-buyer", "channel_partner"], ["nv-l1", "shareholder"]]);
    const commission = await readCommissionSnapshot(createDb(env.DB), { id: "nv-buyer", tier: "channel_partner" });
    expect(commission.plan.earners).not.toEqual([]);
    for (const kind of [shareSubscriptionKind, auctionDepositKind]) {
      await expect(createOrder(env, kind, { memberId: "nv-buyer", openid: "openid-nv-buyer" }, { id: `${kind.name}-nv`, title: "不计佣" }, 10_000, { commission }))
        .rejects.toThrow(/never pays commissions/);
    }
    expect((await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE member_id = 'nv-buyer'").first<number>("n"))).toBe(0);
  });
});
