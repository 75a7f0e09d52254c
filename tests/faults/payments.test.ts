import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settleOverduePayments } from "../../worker/orders/jobs";
import { call, mintMember, parsed } from "../support/api";
import { deliver, entitlement, expectShopPostings, orderRow, placeOrder, paidOrder, sandbox, sandboxPay, seedCourse } from "../orders/support";
import { LEDGER, age, breakStatement, checkLedgerAfterEach, impatient, snapshot, wechatFault } from "./support";

const QUIET = 6 * 60_000;
const revenuePostings = async (orderId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM transfers WHERE id = ?").bind(`order:${orderId}:revenue`).first<{ n: number }>())!.n;

checkLedgerAfterEach();

describe("faults in payment fulfilment", () => {
  it("a payment whose fulfilment batch fails writes nothing, and WeChat's redelivery of the same notification pays it once", async () => {
    const { token } = await mintMember({ id: "buyer-fulfil" });
    await seedCourse("c-fulfil", 4800);
    const { order } = await placeOrder(token, "c-fulfil");
    const notification = await sandboxPay(order.id);
    const before = await snapshot(...LEDGER, "SELECT id, status FROM orders", "SELECT * FROM entitlements", "SELECT * FROM pay_settlements");

    // The batch's last statement fails: the order flip, entitlement and revenue posting before it roll back with it.
    const fault = await breakStatement("pay_settlements", "INSERT");
    const refused = await deliver(notification);
    expect(refused.status).toBeGreaterThanOrEqual(500); // not 2xx: WeChat delivers it again later
    expect(await snapshot(...LEDGER, "SELECT id, status FROM orders", "SELECT * FROM entitlements", "SELECT * FROM pay_settlements")).toEqual(before);

    await fault.heal();
    expect((await deliver(notification)).status).toBe(204);
    expect((await deliver(notification)).status).toBe(204);
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });
    expect((await entitlement("buyer-fulfil", "c-fulfil"))?.revoked_at).toBeNull();
    expect(await revenuePostings(order.id)).toBe(1);
    await expectShopPostings();
  });

  it("a payment whose notification is lost and whose first query times out is paid once by the overdue-payment job", async () => {
    const { token } = await mintMember({ id: "buyer-lost" });
    await seedCourse("c-lost", 3600);
    const { order } = await placeOrder(token, "c-lost");
    await sandboxPay(order.id); // paid at WeChat; the notification never arrives
    await age("orders", `id = '${order.id}'`, QUIET);

    await wechatFault({ method: "GET", path: `/v3/pay/transactions/out-trade-no/${order.id}`, kind: "timeout", delayMs: 1500 });
    expect(await settleOverduePayments(impatient(300))).toMatchObject({ paid: 0, failed: 1 });
    expect(await orderRow(order.id)).toMatchObject({ status: "pending" });
    expect(await revenuePostings(order.id)).toBe(0);

    expect(await settleOverduePayments(env)).toMatchObject({ paid: 1, failed: 0 });
    expect(await settleOverduePayments(env)).toMatchObject({ paid: 0, failed: 0 });
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });
    expect(await revenuePostings(order.id)).toBe(1);
    await expectShopPostings();
  });
});

describe("faults in refunds", () => {
  it("a refund request whose answer from WeChat is lost stays processing, is not sent twice on retry, and is finished by the job", async () => {
    const admin = (await mintMember({ id: "admin-refund", roles: ["admin"] })).token;
    const { token } = await mintMember({ id: "buyer-refund" });
    await seedCourse("c-refund", 5000);
    const { orderId } = await paidOrder(token, "c-refund");

    // WeChat makes the refund but its answer never reaches us.
    await wechatFault({ path: "/v3/refund/domestic/refunds", kind: "lose-answer" });
    const ask = () => parsed(call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "学员申请退款" }, headers: { "idempotency-key": "refund-once" } }));
    const first = await ask();
    expect(first.status).toBeLessThan(300);
    const refundId = first.body.refund.id as string;
    expect(await orderRow(orderId)).toMatchObject({ status: "refunding", refund_pending_fen: 5000, refunded_fen: 0 });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM transfers WHERE id LIKE 'refund:%'").first<{ n: number }>())!.n).toBe(0);

    // The admin retries with the same key: the first answer again, no second refund.
    const again = await ask();
    expect(again.body.refund.id).toBe(refundId);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM refunds WHERE order_id = ?").bind(orderId).first<{ n: number }>())!.n).toBe(1);

    // WeChat finishes the refund; its notification is lost; the job asks by the same out_refund_no.
    await sandbox(`/sandbox/refund/${refundId}`, { deliver: false });
    await age("refunds", `id = '${refundId}'`, QUIET);
    expect(await settleOverduePayments(env)).toMatchObject({ refundsSettled: 1, failed: 0 });
    expect(await settleOverduePayments(env)).toMatchObject({ refundsSettled: 0, failed: 0 });
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded", refunded_fen: 5000, refund_pending_fen: 0 });
    expect((await entitlement("buyer-refund", "c-refund"))?.revoked_at).not.toBeNull();
    await expectShopPostings();
  });

  it("a refund notification whose settlement batch fails writes nothing; the job settles it once, and the late redelivery changes nothing", async () => {
    const admin = (await mintMember({ id: "admin-rnotify", roles: ["admin"] })).token;
    const { token } = await mintMember({ id: "buyer-rnotify" });
    await seedCourse("c-rnotify", 2600);
    const { orderId } = await paidOrder(token, "c-rnotify");
    const asked = await parsed(call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "重复购买" } }));
    const refundId = asked.body.refund.id as string;
    const notification = await sandbox(`/sandbox/refund/${refundId}`, { deliver: false });
    const state = () => snapshot(...LEDGER, "SELECT id, status, refunded_fen, refund_pending_fen FROM orders", "SELECT id, status FROM refunds", "SELECT * FROM entitlements");
    const before = await state();

    const fault = await breakStatement("transfers", "INSERT", "NEW.id LIKE 'refund:%'");
    expect((await deliver(notification)).status).toBeGreaterThanOrEqual(500);
    await age("refunds", `id = '${refundId}'`, QUIET);
    expect(await settleOverduePayments(env)).toMatchObject({ refundsSettled: 0, failed: 1 });
    expect(await state()).toEqual(before);

    await fault.heal();
    expect(await settleOverduePayments(env)).toMatchObject({ refundsSettled: 1, failed: 0 });
    expect((await deliver(notification)).status).toBe(204);
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded", refunded_fen: 2600, refund_pending_fen: 0 });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM transfers WHERE id = ?").bind(`refund:${refundId}`).first<{ n: number }>())!.n).toBe(1);
    await expectShopPostings();
  });
});
