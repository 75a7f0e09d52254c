import { describe, expect, it } from "vitest";
import { paidOrder, seedCourse } from "../orders/support";
import { accountsOf, chain, checkLedgerAfterEach, commissionsOf, refundOrder, setSetting, settleAfter } from "./support";

checkLedgerAfterEach();

describe("settling commissions after the refund window", () => {
  it("keeps a commission frozen inside the window and makes it available after, once however often the job runs", async () => {
    const [buyer] = await chain([["st-buyer", "member"], ["st-l1", "promoter"]]);
    await seedCourse("c-st", 10000);
    const { orderId } = await paidOrder(buyer, "c-st");
    expect((await settleAfter(6)).settled).toBe(0);
    expect(await accountsOf("st-l1")).toMatchObject({ frozen: 1000, available: 0 });

    const runs = await Promise.all([settleAfter(8), settleAfter(8), settleAfter(8)]);
    expect(runs.reduce((n, r) => n + r.settled, 0)).toBe(1);
    expect((await settleAfter(9)).settled).toBe(0);
    expect(await accountsOf("st-l1")).toMatchObject({ frozen: 0, available: 1000 });
    expect((await commissionsOf(orderId))[0]).toMatchObject({ status: "available", settled_fen: 1000 });
  });

  it("settles in bounded batches", async () => {
    const [buyer] = await chain([["bb-buyer", "member"], ["bb-l1", "promoter"]]);
    for (let i = 0; i < 5; i++) {
      await seedCourse(`c-bb-${i}`, 1000);
      await paidOrder(buyer, `c-bb-${i}`);
    }
    expect((await settleAfter(8, { batchSize: 2, batches: 1 })).settled).toBe(2);
    expect((await settleAfter(8, { batchSize: 2, batches: 10 })).settled).toBe(3);
    expect(await accountsOf("bb-l1")).toMatchObject({ frozen: 0, available: 500 });
  });
});

describe("refunds and commissions", () => {
  it("cancels frozen commission when the order is refunded inside the window", async () => {
    const [buyer] = await chain([["rf-buyer", "member"], ["rf-l1", "promoter"], ["rf-l2", "shareholder"]]);
    await seedCourse("c-rf", 10000);
    const { orderId } = await paidOrder(buyer, "c-rf");
    await refundOrder(orderId);
    expect((await commissionsOf(orderId)).map((c) => [c.status, c.cancelled_fen])).toEqual([["cancelled", 1000], ["cancelled", 500]]);
    expect(await accountsOf("rf-l1")).toMatchObject({ frozen: 0, available: 0 });
    expect((await settleAfter(8)).settled).toBe(0);
  });

  it("cancels pro rata over several partial refunds, and the parts sum exactly to the whole", async () => {
    const [buyer] = await chain([["pr-buyer", "member"], ["pr-l1", "promoter"]]);
    await seedCourse("c-pr", 9999);
    const { orderId } = await paidOrder(buyer, "c-pr"); // 999 at 10%
    await refundOrder(orderId, 3333);
    expect(await accountsOf("pr-l1")).toMatchObject({ frozen: 666 }); // floor(6666 × 10%)
    await refundOrder(orderId, 3333);
    expect(await accountsOf("pr-l1")).toMatchObject({ frozen: 333 });
    await settleAfter(8);
    expect(await accountsOf("pr-l1")).toMatchObject({ frozen: 0, available: 333 });
    await refundOrder(orderId); // the last 3333, after the window
    expect(await accountsOf("pr-l1")).toMatchObject({ frozen: 0, available: 0, debt: 0 });
    expect((await commissionsOf(orderId))[0]).toMatchObject({ status: "clawed_back", cancelled_fen: 666, settled_fen: 333, clawed_back_fen: 333 });
  });

  it("claws back from the available balance after the window, and a shortfall becomes a debt repaid first by later earnings", async () => {
    const [buyer] = await chain([["db-buyer", "member"], ["db-l1", "promoter"]]);
    await seedCourse("c-db1", 10000);
    const first = await paidOrder(buyer, "c-db1");
    await settleAfter(8);
    expect(await accountsOf("db-l1")).toMatchObject({ available: 1000 });
    // the earner's balance is spent elsewhere (as a withdrawal would), leaving 300
    await (await import("../../worker/ledger/service")).executeTransfers((await import("cloudflare:workers")).env.DB, [
      { id: "test:db-l1:spent", debitAccountId: "commission_available:db-l1", creditAccountId: "wechat_clearing", amountFen: 700, code: "test", reference: "test" },
    ]);
    await refundOrder(first.orderId);
    expect(await accountsOf("db-l1")).toMatchObject({ available: 0, debt: 700 });

    await seedCourse("c-db2", 20000);
    await paidOrder(buyer, "c-db2"); // 2000 more, frozen
    expect(await accountsOf("db-l1")).toMatchObject({ frozen: 2000, debt: 700 });
    await settleAfter(8);
    expect(await accountsOf("db-l1")).toMatchObject({ frozen: 0, available: 1300, debt: 0 });
  });

  it("never touches an accrued commission when the rules change later: refunds and settlement use the order's own rate", async () => {
    const [buyer] = await chain([["ru-buyer", "member"], ["ru-l1", "promoter"]]);
    await seedCourse("c-ru", 10000);
    const { orderId } = await paidOrder(buyer, "c-ru");
    await setSetting("commissions.tier.promoter", { mayEarn: false, level1Bps: 0, level2Bps: 0 });
    await refundOrder(orderId, 5000);
    expect((await commissionsOf(orderId))[0]).toMatchObject({ rate_bps: 1000, amount_fen: 1000, cancelled_fen: 500 });
    await settleAfter(8);
    expect(await accountsOf("ru-l1")).toMatchObject({ frozen: 0, available: 500 });
    await setSetting("commissions.tier.promoter", { mayEarn: true, level1Bps: 1000, level2Bps: 500 });
  });

  it("pays nothing on an order kind that is not commissionable", async () => {
    const { testDepositKind } = await import("../orders/test-kind");
    const { registerOrderKind } = await import("../../worker/orders/kinds");
    const { createOrder } = await import("../../worker/orders/create");
    const { deliver, sandboxPay } = await import("../orders/support");
    const { env } = await import("cloudflare:workers");
    registerOrderKind(testDepositKind);
    await chain([["nc-buyer", "member"], ["nc-l1", "shareholder"]]);
    const placed = await createOrder(env, testDepositKind, { memberId: "nc-buyer", openid: "openid-nc-buyer" }, { id: "lot-nc", title: "拍品" }, 50000);
    expect((await deliver(await sandboxPay(placed.order.id))).status).toBe(204);
    expect(await commissionsOf(placed.order.id)).toEqual([]);
    expect(await accountsOf("nc-l1")).toMatchObject({ frozen: 0 });
  });

  it("pays on any kind that declares itself commissionable, with a snapshot read outside a batch", async () => {
    const { testDepositKind } = await import("../orders/test-kind");
    const { registerOrderKind } = await import("../../worker/orders/kinds");
    const { createOrder } = await import("../../worker/orders/create");
    const { readCommissionSnapshot } = await import("../../worker/commissions/plan");
    const { createDb } = await import("../../worker/http/middleware");
    const { deliver, sandboxPay } = await import("../orders/support");
    const { env } = await import("cloudflare:workers");
    const purchase = { ...testDepositKind, name: "test_purchase", commissionable: true, openKey: () => null };
    registerOrderKind(purchase);
    await chain([["kp-buyer", "member"], ["kp-l1", "channel_partner"]]);
    await expect(createOrder(env, purchase, { memberId: "kp-buyer", openid: "openid-kp-buyer" }, { id: "lot-kp", title: "拍品" }, 20000)).rejects.toThrow(/snapshot/);
    const commission = await readCommissionSnapshot(createDb(env.DB), { id: "kp-buyer", tier: "member" });
    const placed = await createOrder(env, purchase, { memberId: "kp-buyer", openid: "openid-kp-buyer" }, { id: "lot-kp", title: "拍品" }, 20000, { commission });
    expect((await deliver(await sandboxPay(placed.order.id))).status).toBe(204);
    expect((await commissionsOf(placed.order.id)).map((c) => [c.earner_id, c.amount_fen])).toEqual([["kp-l1", 3000]]);
  });
});
