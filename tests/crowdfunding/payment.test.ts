import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { shareSubscriptionKind } from "../../worker/crowdfunding/order-kind";
import { settleOverduePayments } from "../../worker/orders/jobs";
import { runScheduled } from "../../worker/scheduled";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { deliver, sandbox, sandboxPay } from "../orders/support";
import { adminToken, api, holders, openRound, paySubscription, roundRow, seedMembers, subscribe } from "./support";

const balance = async (id: string) =>
  (await env.DB.prepare("SELECT credits_posted - debits_posted AS fen FROM accounts WHERE id = ?").bind(id).first<{ fen: number }>())?.fen ?? 0;
const subscription = (id: string) => env.DB.prepare("SELECT * FROM share_subscriptions WHERE id = ?").bind(id).first<Record<string, any>>();
const order = (id: string) => env.DB.prepare("SELECT * FROM orders WHERE id = ?").bind(id).first<Record<string, any>>();
const tick = (at = Date.now()) => runScheduled({ cron: "*/5 * * * *", scheduledTime: at }, env);

/** WeChat finishes every refund under way (the sandbox delivers REFUND.SUCCESS for each). */
async function wechatCompletesRefunds() {
  const { results } = await env.DB.prepare("SELECT id FROM refunds WHERE status = 'processing'").all<{ id: string }>();
  for (const r of results) expect((await deliver(await sandbox(`/sandbox/refund/${r.id}`, { deliver: false }))).status).toBe(204);
  return results.length;
}

describe("paying for shares", () => {
  it("opens a share_subscription order with WeChat Pay parameters; paying moves the money into the round's escrow", async () => {
    expect(shareSubscriptionKind).toMatchObject({ iosAllowed: true, commissionable: false });
    const id = await openRound();
    const [m] = await seedMembers("pay", 1);
    const res = await subscribe(m, id, 2);
    expect(res.status).toBe(201);
    expect(res.body.order).toMatchObject({ status: "pending", amountFen: 200_000 });
    expect(res.body.payParams.package).toMatch(/^prepay_id=/);
    expect(await order(res.body.order.id)).toMatchObject({ kind: "share_subscription", subject_id: res.body.subscription.id });

    // Asking again for the same shares gives the same order, freshly signed.
    const again = await subscribe(m, id, 2);
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(res.body.order.id);
    expect((await subscribe(m, id, 3)).body.type).toBe("/problems/already-subscribed");

    expect(await paySubscription(res.body.subscription.id)).toBe("paid");
    expect(await roundRow(id)).toMatchObject({ reserved_shares: 0, sold_shares: 2 });
    expect(await balance(`crowdfund_escrow:${id}`)).toBe(200_000);
    expect(await balance("revenue_course")).toBe(0);
    const escrow = await env.DB.prepare("SELECT id, debit_account_id FROM transfers WHERE reference = ?").bind(`order:${res.body.order.id}`).all();
    expect(escrow.results).toEqual([{ id: `order:${res.body.order.id}:escrow`, debit_account_id: "wechat_clearing" }]);
    await expectLedgerInvariants(env.DB);
  });

  it("an unpaid reservation expires with its order, releasing its shares and its holder place in the same batch", async () => {
    const id = await openRound();
    const [m] = await seedMembers("lapse", 1);
    const before = await holders();
    const res = await subscribe(m, id, 5);
    expect(await holders()).toBe(before + 1);
    await env.DB.prepare("UPDATE orders SET expires_at = ?, created_at = created_at - 600000 WHERE id = ?").bind(Date.now() - 1, res.body.order.id).run();
    expect(await settleOverduePayments(env)).toMatchObject({ closed: 1, failed: 0 });
    expect(await order(res.body.order.id)).toMatchObject({ status: "closed" });
    expect(await subscription(res.body.subscription.id)).toMatchObject({ status: "expired" });
    expect(await roundRow(id)).toMatchObject({ reserved_shares: 0 });
    expect(await holders()).toBe(before);
    // The member may subscribe again.
    expect((await subscribe(m, id, 1)).status).toBe(201);
    await expectLedgerInvariants(env.DB);
  });

  it("refunds, by itself, a payment that arrives after its reservation expired on a full round", async () => {
    const id = await openRound({ totalShares: 4, maxShares: 4, targetShares: 4 });
    const [late, other] = await seedMembers("full", 2);
    const first = await subscribe(late, id, 4);
    // The order expired here but the member had paid at WeChat just before: the close batch released the shares…
    await env.DB.prepare("UPDATE orders SET expires_at = ?, created_at = created_at - 600000 WHERE id = ?").bind(Date.now() - 1, first.body.order.id).run();
    const notification = await sandboxPay(first.body.order.id);
    const { closeOrder } = await import("../../worker/orders/close");
    await closeOrder(env.DB, (await order(first.body.order.id)) as any);
    // …another member took them…
    expect((await subscribe(other, id, 4)).status).toBe(201);
    // …and then WeChat's notification of the late payment arrives.
    expect((await deliver(notification)).status).toBe(204);
    expect(await order(first.body.order.id)).toMatchObject({ status: "paid" });
    expect(await subscription(first.body.subscription.id)).toMatchObject({ status: "expired" });
    expect(await roundRow(id)).toMatchObject({ sold_shares: 0, reserved_shares: 4 });
    expect(await balance(`crowdfund_escrow:${id}`)).toBe(400_000);

    await tick();
    expect(await order(first.body.order.id)).toMatchObject({ status: "refunding" });
    expect(await wechatCompletesRefunds()).toBe(1);
    expect(await order(first.body.order.id)).toMatchObject({ status: "refunded" });
    expect(await subscription(first.body.subscription.id)).toMatchObject({ status: "refunded" });
    expect(await balance(`crowdfund_escrow:${id}`)).toBe(0);
    const audit = await env.DB.prepare("SELECT actor_kind FROM audit_log WHERE action = 'order.refund_requested' AND target_id = ?").bind(first.body.order.id).first();
    expect(audit).toEqual({ actor_kind: "system" });
    await expectLedgerInvariants(env.DB);
  });

  it("a round that missed its target refunds every paid subscription through WeChat Pay, and shows each refund", async () => {
    const id = await openRound({ targetShares: 50 });
    const members = await seedMembers("fail", 3);
    const subs = [];
    for (const m of members) subs.push((await subscribe(m, id, 3)).body.subscription.id);
    await paySubscription(subs[0]);
    await paySubscription(subs[1]); // the third never pays
    const at = Date.now() + 2 * 86_400_000;
    await tick(at);
    expect((await roundRow(id))!.state).toBe("failed");
    await wechatCompletesRefunds(); // (other test rounds past their closing time fail and refund too)
    await tick(at); // a second run starts nothing more
    expect((await env.DB.prepare("SELECT count(*) AS n FROM refunds r JOIN share_subscriptions s ON s.order_id = r.order_id WHERE s.round_id = ?").bind(id).first<{ n: number }>())!.n).toBe(2);
    expect((await subscription(subs[0]))!.status).toBe("refunded");
    expect((await subscription(subs[1]))!.status).toBe("refunded");
    expect((await subscription(subs[2]))!.status).toBe("expired");
    expect(await balance(`crowdfund_escrow:${id}`)).toBe(0);
    const detail = await api(`/api/admin/rounds/${id}`, { token: await adminToken() });
    expect(detail.body.refunds.map((r: { status: string; amountFen: number }) => [r.status, r.amountFen])).toEqual([["succeeded", 300_000], ["succeeded", 300_000]]);
    await expectLedgerInvariants(env.DB);
  });
});
