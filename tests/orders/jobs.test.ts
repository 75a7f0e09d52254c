import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settleOverduePayments } from "../../worker/orders/jobs";
import { entitlement, orderRow, paidOrder, placeOrder, sandbox, sandboxPay, seedCourse, checkLedgerAfterEach } from "./support";
import { call, mintMember } from "../support/api";

const SIX_MINUTES = 6 * 60_000;
const age = (table: "orders" | "refunds", id: string, ms: number) =>
  env.DB.prepare(`UPDATE ${table} SET created_at = created_at - ? WHERE id = ?`).bind(ms, id).run();

checkLedgerAfterEach();

describe("the overdue-payment job", () => {
  it("settles a paid order whose notification never came by querying WeChat", async () => {
    const token = (await mintMember({ id: "m-lost" })).token;
    await seedCourse("c-lost", 4500);
    const { order } = await placeOrder(token, "c-lost");
    await sandboxPay(order.id); // paid at WeChat; the notification is lost
    expect((await settleOverduePayments(env)).paid).toBe(0); // still inside the grace period
    await age("orders", order.id, SIX_MINUTES);
    expect(await settleOverduePayments(env)).toMatchObject({ paid: 1, failed: 0 });
    expect(await orderRow(order.id)).toMatchObject({ status: "paid" });
    expect((await entitlement("m-lost", "c-lost"))?.revoked_at).toBeNull();
    expect(await settleOverduePayments(env)).toMatchObject({ paid: 0, failed: 0 });
  });

  it("closes an unpaid order after its expiry, at WeChat and here; a later payment attempt is refused", async () => {
    const token = (await mintMember({ id: "m-late" })).token;
    await seedCourse("c-late", 4500);
    const { order } = await placeOrder(token, "c-late");
    await env.DB.prepare("UPDATE orders SET created_at = created_at - ?1, expires_at = ?2 WHERE id = ?3").bind(SIX_MINUTES, Date.now() - 1, order.id).run();
    expect(await settleOverduePayments(env)).toMatchObject({ closed: 1, failed: 0 });
    expect((await (await call(`/api/orders/${order.id}`, { token })).json<{ status: string }>()).status).toBe("closed");
    const atWechat = await (await fetch(`https://api.mch.weixin.qq.com/sandbox/transactions/${order.id}`)).json<{ trade_state: string }>();
    expect(atWechat.trade_state).toBe("CLOSED");
    await expect(sandboxPay(order.id)).rejects.toThrow(/409/);
  });

  it("settles a refund whose notification never came", async () => {
    const admin = (await mintMember({ id: "a-lostrefund", roles: ["admin"] })).token;
    const token = (await mintMember({ id: "m-lostrefund" })).token;
    await seedCourse("c-lostrefund", 3000);
    const { orderId } = await paidOrder(token, "c-lostrefund");
    const asked = await (await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "丢失通知" } })).json<{ refund: { id: string } }>();
    await sandbox(`/sandbox/refund/${asked.refund.id}`, { deliver: false });
    await age("refunds", asked.refund.id, SIX_MINUTES);
    expect(await settleOverduePayments(env)).toMatchObject({ refundsSettled: 1, failed: 0 });
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded", refunded_fen: 3000 });
    expect((await entitlement("m-lostrefund", "c-lostrefund"))?.revoked_at).not.toBeNull();
  });

  it("resends a refund WeChat never received, with the same out_refund_no, and it then completes", async () => {
    const token = (await mintMember({ id: "m-resend" })).token;
    await seedCourse("c-resend", 2500);
    const { orderId } = await paidOrder(token, "c-resend");
    // The refund was recorded here but the call to WeChat was lost (a timeout before WeChat saw it).
    const refundId = `${orderId}R1`;
    await env.DB.batch([
      env.DB.prepare("UPDATE orders SET status = 'refunding', refund_pending_fen = 2500, refund_count = 1 WHERE id = ?").bind(orderId),
      env.DB.prepare("INSERT INTO refunds (id, order_id, amount_fen, reason, status, requested_by, created_at) VALUES (?, ?, 2500, '超时重发', 'processing', 'a-resend', ?)").bind(refundId, orderId, Date.now() - SIX_MINUTES),
    ]);
    expect(await settleOverduePayments(env)).toMatchObject({ refundsResent: 1, failed: 0 });
    expect(await settleOverduePayments(env)).toMatchObject({ refundsResent: 0, refundsSettled: 0, failed: 0 }); // WeChat has it now: still processing
    const n = await sandbox(`/sandbox/refund/${refundId}`, { deliver: false });
    expect((await call("/api/pay/refund-notify", { method: "POST", headers: n.headers, body: n.body })).status).toBe(204);
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded", refunded_fen: 2500, refund_pending_fen: 0 });
  });
});
