import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditRows, fetchWorker, loginSession, ORIGIN, seedAdmin } from "../admin/support";
import { call, mintMember } from "../support/api";
import { deliver, orderRow, paidOrder, sandbox, seedCourse, checkLedgerAfterEach } from "./support";

type RefundAnswer = { refund: { id: string; amountFen: number; status: string } };

const refundStatus = async (id: string) => (await env.DB.prepare("SELECT status FROM refunds WHERE id = ?").bind(id).first<{ status: string }>())?.status;

checkLedgerAfterEach();

describe("a refund WeChat reports ABNORMAL (退款异常)", () => {
  it("stays reserved, refuses a second refund of the same money, is sent on by the console's action, then settles on SUCCESS", async () => {
    const admin = (await mintMember({ id: "a-abn", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-abn" })).token;
    await seedCourse("c-abn", 8800);
    const { orderId } = await paidOrder(member, "c-abn");
    const asked = await (await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "课程下架" } })).json<RefundAnswer>();

    const abnormal = await sandbox(`/sandbox/refund/${asked.refund.id}`, { status: "ABNORMAL", deliver: false });
    expect((await deliver(abnormal)).status).toBe(204);
    expect((await deliver(abnormal)).status).toBe(204);
    expect(await refundStatus(asked.refund.id)).toBe("abnormal");
    // The money left the merchant account: still reserved, the order still refunding, the course still open.
    expect(await orderRow(orderId)).toMatchObject({ status: "refunding", refunded_fen: 0, refund_pending_fen: 8800 });
    const second = await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "再退一次" } });
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({ type: "/problems/refund-exceeds-refundable" });

    await seedAdmin("abby");
    const s = await loginSession("abby");
    const page = await (await fetchWorker(`/admin/orders/${orderId}`, { headers: { cookie: s.cookie } })).text();
    expect(page).toContain("退款异常");
    expect(page).toContain('data-testid="apply-abnormal-form"');

    const body = new URLSearchParams({ _csrf: s.csrf });
    const applied = await fetchWorker(`/admin/orders/${orderId}/refunds/${asked.refund.id}/apply-abnormal`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: s.cookie }, body,
    });
    expect(applied.status).toBe(303);
    expect(await refundStatus(asked.refund.id)).toBe("processing");
    expect(await auditRows("order.abnormal_refund_applied")).toEqual([expect.objectContaining({ actor_id: "adm_abby", target_id: orderId })]);
    // WeChat no longer holds it as abnormal: a second apply is refused there and here.
    const again = await fetchWorker(`/admin/orders/${orderId}/refunds/${asked.refund.id}/apply-abnormal`, {
      method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: s.cookie }, body,
    });
    expect(again.status).toBe(409);

    const success = await sandbox(`/sandbox/refund/${asked.refund.id}`, { deliver: false });
    expect((await deliver(success)).status).toBe(204);
    expect(await refundStatus(asked.refund.id)).toBe("succeeded");
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded", refunded_fen: 8800, refund_pending_fen: 0 });
  });

  it("settles when SUCCESS follows ABNORMAL directly, and releases when CLOSED does", async () => {
    const admin = (await mintMember({ id: "a-abn2", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-abn2" })).token;
    await seedCourse("c-abn2", 5000);
    const { orderId } = await paidOrder(member, "c-abn2");
    const first = await (await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { amountFen: 2000, reason: "部分退款" } })).json<RefundAnswer>();
    const second = await (await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { amountFen: 1000, reason: "再退一点" } })).json<RefundAnswer>();
    const abnormal = await sandbox<{ url: string; headers: Record<string, string>; body: string }>(`/sandbox/refund/${first.refund.id}`, { status: "ABNORMAL", deliver: false });
    expect((await deliver(abnormal)).status).toBe(204);
    expect((await deliver(await sandbox(`/sandbox/refund/${second.refund.id}`, { status: "ABNORMAL", deliver: false }))).status).toBe(204);

    // WeChat's later outcomes, as signed notifications of the same refunds.
    const notify = (refundId: string, refund: number, status: string) =>
      sandbox("/sandbox/notifications", {
        notify_url: abnormal.url, event_type: `REFUND.${status}`,
        resource: { mchid: env.WECHATPAY_MCHID, out_trade_no: orderId, out_refund_no: refundId, refund_id: `50${refundId}`, refund_status: status, amount: { total: 5000, refund } },
      });
    expect((await deliver(await notify(first.refund.id, 2000, "SUCCESS"))).status).toBe(204);
    expect((await deliver(await notify(second.refund.id, 1000, "CLOSED"))).status).toBe(204);
    expect(await refundStatus(first.refund.id)).toBe("succeeded");
    expect(await refundStatus(second.refund.id)).toBe("closed");
    expect(await orderRow(orderId)).toMatchObject({ status: "paid", refunded_fen: 2000, refund_pending_fen: 0 });
  });
});
