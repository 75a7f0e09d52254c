import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { paidOrder, seedCourse, orderRow } from "../orders/support";
import { accountsOf, chain, checkLedgerAfterEach, commissionsOf, setSetting } from "./support";

checkLedgerAfterEach();

describe("commission accrual", () => {
  it("pays two levels by each earner's own tier, frozen for the refund window", async () => {
    const [buyer] = await chain([["ac-buyer", "member"], ["ac-l1", "promoter"], ["ac-l2", "channel_partner"], ["ac-l3", "shareholder"]]);
    await seedCourse("c-ac", 9999);
    const { orderId } = await paidOrder(buyer, "c-ac");
    expect(await orderRow(orderId)).toMatchObject({ referrer1_id: "ac-l1", referrer2_id: "ac-l2" });
    const rows = await commissionsOf(orderId);
    // promoter level 1 at 10%, channel partner level 2 at 5%; the shareholder three levels up earns nothing.
    expect(rows.map((r) => [r.earner_id, r.level, r.rate_bps, r.amount_fen, r.status])).toEqual([
      ["ac-l1", 1, 1000, 999, "frozen"],
      ["ac-l2", 2, 500, 499, "frozen"],
    ]);
    expect(rows[0].available_at - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    expect(await accountsOf("ac-l1")).toMatchObject({ frozen: 999, available: 0 });
    expect(await accountsOf("ac-l3")).toMatchObject({ frozen: 0 });
  });

  it("skips an upline without the right to earn and does not pass its share up", async () => {
    const [buyer] = await chain([["sk-buyer", "member"], ["sk-l1", "member"], ["sk-l2", "promoter"], ["sk-l3", "shareholder"]]);
    await seedCourse("c-sk", 10000);
    const { orderId } = await paidOrder(buyer, "c-sk");
    expect((await commissionsOf(orderId)).map((r) => [r.earner_id, r.level, r.amount_fen])).toEqual([["sk-l2", 2, 500]]);
    expect(await accountsOf("sk-l3")).toMatchObject({ frozen: 0 });
  });

  it("pays nothing to a blocked upline and does not pass its share up", async () => {
    const [buyer] = await chain([["bl-buyer", "member"], ["bl-l1", "promoter"], ["bl-l2", "channel_partner"], ["bl-l3", "shareholder"]]);
    await env.DB.prepare("UPDATE members SET blocked_at = ? WHERE id = 'bl-l1'").bind(Date.now()).run();
    await seedCourse("c-bl", 10000);
    const { orderId } = await paidOrder(buyer, "c-bl");
    expect(await orderRow(orderId)).toMatchObject({ referrer1_id: "bl-l1", referrer2_id: "bl-l2" });
    expect((await commissionsOf(orderId)).map((r) => [r.earner_id, r.level, r.amount_fen])).toEqual([["bl-l2", 2, 500]]);
    expect(await accountsOf("bl-l1")).toMatchObject({ frozen: 0 });
    expect(await accountsOf("bl-l3")).toMatchObject({ frozen: 0 });
  });

  it("pays a promoter on their own purchase only when self-purchase is on", async () => {
    const [off] = await chain([["sp-off", "promoter"], ["sp-up", "channel_partner"], ["sp-top", "shareholder"]]);
    await seedCourse("c-sp", 10000);
    const a = await paidOrder(off, "c-sp");
    expect((await commissionsOf(a.orderId)).map((r) => [r.earner_id, r.level, r.amount_fen])).toEqual([["sp-up", 1, 1500], ["sp-top", 2, 500]]);

    await setSetting("commissions.selfPurchase", true);
    const [on] = await chain([["sp-on", "promoter"], ["sp-up2", "channel_partner"]]);
    await seedCourse("c-sp2", 10000);
    const b = await paidOrder(on, "c-sp2");
    expect((await commissionsOf(b.orderId)).map((r) => [r.earner_id, r.level, r.amount_fen])).toEqual([["sp-on", 1, 1000], ["sp-up2", 2, 500]]);
    await setSetting("commissions.selfPurchase", false);
  });

  it("keeps the rates the order snapshotted when the rules change before payment", async () => {
    const [buyer] = await chain([["rc-buyer", "member"], ["rc-l1", "promoter"]]);
    await seedCourse("c-rc", 10000);
    const placed = await (await import("../orders/support")).placeOrder(buyer, "c-rc");
    await setSetting("commissions.tier.promoter", { mayEarn: true, level1Bps: 3000, level2Bps: 0 });
    const { deliver, sandboxPay } = await import("../orders/support");
    expect((await deliver(await sandboxPay(placed.order.id))).status).toBe(204);
    expect((await commissionsOf(placed.order.id)).map((r) => r.amount_fen)).toEqual([1000]);
    await env.DB.prepare("DELETE FROM settings WHERE key = 'commissions.tier.promoter'").run();
  });

  it("counts lifetime spend and raises the tier when a trigger is met, with a history row", async () => {
    await setSetting("commissions.tierTriggers", [{ tier: "promoter", minLifetimeSpendFen: 15000 }]);
    const [buyer] = await chain([["tr-buyer", "member"]]);
    await seedCourse("c-tr1", 10000);
    await seedCourse("c-tr2", 10000);
    await paidOrder(buyer, "c-tr1");
    expect(await env.DB.prepare("SELECT tier FROM members WHERE id = 'tr-buyer'").first("tier")).toBe("member");
    await paidOrder(buyer, "c-tr2");
    expect(await env.DB.prepare("SELECT tier FROM members WHERE id = 'tr-buyer'").first("tier")).toBe("promoter");
    const history = await env.DB.prepare("SELECT from_tier, to_tier, source FROM tier_changes WHERE member_id = 'tr-buyer'").all();
    expect(history.results).toEqual([{ from_tier: "member", to_tier: "promoter", source: "trigger" }]);
    await env.DB.prepare("DELETE FROM settings WHERE key = 'commissions.tierTriggers'").run();
  });
});
