import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createOrder } from "../../worker/orders/create";
import { startSystemRefund } from "../../worker/orders/refunds";
import { settleOverduePayments } from "../../worker/orders/jobs";
import { auditRows, fetchWorker, loginSession, seedAdmin } from "../admin/support";
import { call, mintMember } from "../support/api";
import { deliver, orderRow, sandbox, sandboxPay, seedCourse, checkLedgerAfterEach, placeOrder, type PlacedOrder } from "./support";
import { testDepositKind } from "./test-kind";

/** A member with an openid (mintMember's) and a token, buying a deposit on `lot` at `amountFen`. */
async function depositOrder(memberId: string, lot: string, amountFen: number, now?: Date) {
  const token = (await mintMember({ id: memberId })).token;
  const placed = await createOrder(env, testDepositKind, { memberId, openid: `openid-${memberId}` }, { id: lot, title: `拍品 ${lot}` }, amountFen, { now });
  return { token, placed };
}

const transfer = (id: string) => env.DB.prepare("SELECT debit_account_id, credit_account_id, amount FROM transfers WHERE id = ?").bind(id).first();

checkLedgerAfterEach();

describe("orders of a kind other than course", () => {
  it("pays, system-refunds and settles through the same notification and refund paths as a course order", async () => {
    const { token, placed } = await depositOrder("m-kind-pay", "lot-1", 50000);
    expect(placed.order).toMatchObject({ kind: "test_deposit", subjectId: "lot-1", courseId: null, description: "保证金 拍品 lot-1", amountFen: 50000, status: "pending" });
    expect(Date.parse(placed.order.expiresAt) - Date.parse(placed.order.createdAt)).toBe(24 * 3600_000);

    const paid = await sandboxPay(placed.order.id);
    expect((await deliver(paid)).status).toBe(204);
    expect((await deliver(paid)).status).toBe(204); // a repeat changes nothing
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "paid" });
    expect(await transfer(`order:${placed.order.id}:deposit`)).toMatchObject({ debit_account_id: "wechat_clearing", credit_account_id: "deposit_held:m-kind-pay", amount: 50000 });
    expect(await transfer(`order:${placed.order.id}:revenue`)).toBeNull();
    expect(await auditRows("test_deposit.held")).toHaveLength(1);

    // A module releases the deposit: no admin, audited as system, same reservation and notification.
    const { refund } = await startSystemRefund(env, placed.order.id, undefined, "未中标，退还保证金");
    expect(refund).toMatchObject({ amountFen: 50000, status: "processing" });
    const [requested] = await auditRows("order.refund_requested");
    expect(requested).toMatchObject({ actor_id: "system", actor_kind: "system", target_id: placed.order.id });

    const n = await sandbox(`/sandbox/refund/${refund.id}`, { deliver: false });
    expect((await deliver(n)).status).toBe(204);
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "refunded", refunded_fen: 50000, refund_pending_fen: 0 });
    expect(await transfer(`refund:${refund.id}`)).toMatchObject({ debit_account_id: "deposit_held:m-kind-pay", credit_account_id: "wechat_clearing", amount: 50000 });
    expect(await auditRows("test_deposit.released")).toHaveLength(1);
    const seen = await (await call(`/api/orders/${placed.order.id}`, { token: token })).json<{ refunds: { reason: string; status: string }[] }>();
    expect(seen.refunds).toEqual([expect.objectContaining({ reason: "未中标，退还保证金", status: "succeeded" })]);

    // The console shows it like any refund, requested by 系统.
    await seedAdmin("kira");
    const s = await loginSession("kira");
    const html = await (await fetchWorker(`/admin/orders/${placed.order.id}`, { headers: { cookie: s.cookie } })).text();
    expect(html).toContain("未中标，退还保证金");
    expect(html).toContain("<td>系统</td>");
  });

  it("is closed by the overdue-payment job, running the kind's close statements once", async () => {
    const created = new Date(Date.now() - 25 * 3600_000);
    const { placed } = await depositOrder("m-kind-close", "lot-2", 20000, created);
    const job = await settleOverduePayments(env, new Date());
    expect(job.closed).toBe(1);
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "closed" });
    expect(await auditRows("test_deposit.closed")).toHaveLength(1);
    expect((await settleOverduePayments(env, new Date())).closed).toBe(0);
    expect(await auditRows("test_deposit.closed")).toHaveLength(1);
  });

  it("keeps one open order per lot whoever pays, as the kind's open key says", async () => {
    const { placed } = await depositOrder("m-kind-first", "lot-3", 10000);
    const again = await createOrder(env, testDepositKind, { memberId: "m-kind-first", openid: "openid-m-kind-first" }, { id: "lot-3", title: "拍品 lot-3" }, 10000);
    expect(again).toMatchObject({ created: false, order: { id: placed.order.id } });
    (await mintMember({ id: "m-kind-second" })).token;
    await expect(createOrder(env, testDepositKind, { memberId: "m-kind-second", openid: "openid-m-kind-second" }, { id: "lot-3", title: "拍品 lot-3" }, 10000))
      .rejects.toMatchObject({ status: 409, code: "order-open-for-another-member" });
  });

  it("refuses iOS for a course (virtual goods) and allows it for a kind that is not", async () => {
    (await mintMember({ id: "m-kind-ios" })).token;
    const ok = await createOrder(env, testDepositKind, { memberId: "m-kind-ios", openid: "openid-m-kind-ios" }, { id: "lot-4", title: "拍品 lot-4" }, 100, { platform: "ios" });
    expect(ok.created).toBe(true);
    const { courseOrderKind } = await import("../../worker/courses/order-kind");
    await expect(createOrder(env, courseOrderKind, { memberId: "m-kind-ios", openid: "openid-m-kind-ios" }, { id: "c-ios", title: "课" }, 100, { platform: "ios" }))
      .rejects.toMatchObject({ status: 409, code: "ios-not-allowed" });
  });
});

describe("paying again (POST /api/orders/{id}/pay)", () => {
  it("gets a fresh prepay_id for the same out_trade_no once the order outlives its prepay_id's 2 h", async () => {
    const { token, placed } = await depositOrder("m-kind-long", "lot-5", 30000);
    const same = await (await call(`/api/orders/${placed.order.id}/pay`, { token: token, method: "POST" })).json<PlacedOrder>();
    expect(same.payParams.package).toBe(placed.payParams.package);

    const threeHoursAgo = Date.now() - 3 * 3600_000;
    await env.DB.prepare("UPDATE orders SET prepaid_at = ? WHERE id = ?").bind(threeHoursAgo, placed.order.id).run();
    const res = await call(`/api/orders/${placed.order.id}/pay`, { token: token, method: "POST" });
    expect(res.status).toBe(200);
    const fresh = await res.json<PlacedOrder>();
    expect(fresh.order.id).toBe(placed.order.id);
    expect(fresh.payParams.package).not.toBe(placed.payParams.package);
    expect((await orderRow(placed.order.id))!.prepaid_at as number).toBeGreaterThan(threeHoursAgo);
    // The member pays with the fresh prepay; the same out_trade_no settles the order.
    expect((await deliver(await sandboxPay(placed.order.id))).status).toBe(204);
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "paid" });
  });

  it("re-signs a course order's prepay, and refuses someone else's order (404) and a paid one (409)", async () => {
    const token = (await mintMember({ id: "m-pay-course" })).token;
    const other = (await mintMember({ id: "m-pay-other" })).token;
    await seedCourse("c-pay-again", 1200);
    const placed = await placeOrder(token, "c-pay-again");
    const again = await (await call(`/api/orders/${placed.order.id}/pay`, { token: token, method: "POST" })).json<PlacedOrder>();
    expect(again.payParams.package).toBe(placed.payParams.package);
    expect((await call(`/api/orders/${placed.order.id}/pay`, { token: other, method: "POST" })).status).toBe(404);
    expect((await deliver(await sandboxPay(placed.order.id))).status).toBe(204);
    const paid = await call(`/api/orders/${placed.order.id}/pay`, { token: token, method: "POST" });
    expect(await paid.json()).toMatchObject({ status: 409, type: "/problems/order-not-payable" });
  });
});

describe("a system refund whose notification never comes", () => {
  it("is settled by the overdue-payment job like an admin's refund", async () => {
    const { placed } = await depositOrder("m-kind-job", "lot-6", 7000);
    expect((await deliver(await sandboxPay(placed.order.id))).status).toBe(204);
    const { refund } = await startSystemRefund(env, placed.order.id, 3000, "部分退还保证金");
    await sandbox(`/sandbox/refund/${refund.id}`, { deliver: false }); // WeChat finished it; the notification is lost
    const job = await settleOverduePayments(env, new Date(Date.now() + 6 * 60_000));
    expect(job.refundsSettled).toBe(1);
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "paid", refunded_fen: 3000, refund_pending_fen: 0 });
    expect(await transfer(`refund:${refund.id}`)).toMatchObject({ debit_account_id: "deposit_held:m-kind-job", amount: 3000 });
  });
});
