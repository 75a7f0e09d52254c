import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliver, entitlement, orderRow, paidOrder, placeOrder, sandbox, seedCourse, writtenState, checkLedgerAfterEach } from "./support";
import { call, mintMember } from "../support/api";

type RefundAnswer = { refund: { id: string; amountFen: number; status: string }; order: { status: string; refundedFen: number; refundingFen: number } };

async function refund(admin: string, orderId: string, body: { amountFen?: number; reason: string }) {
  return call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: body });
}

/** WeChat finishes the refund; the sandbox returns the REFUND.* notification, which the test delivers. */
const finish = (refundId: string, status = "SUCCESS") => sandbox(`/sandbox/refund/${refundId}`, { status, deliver: false });

checkLedgerAfterEach();

describe("refunds", () => {
  it("refunds an order in full: refunding, then refunded with the course taken away, visible to the member", async () => {
    const admin = (await mintMember({ id: "a-full", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-full" })).token;
    await seedCourse("c-full", 6600);
    const { orderId } = await paidOrder(member, "c-full");

    const res = await refund(admin, orderId, { reason: "不想学了" });
    expect(res.status).toBe(202);
    const asked = await res.json<RefundAnswer>();
    expect(asked.refund).toMatchObject({ amountFen: 6600, status: "processing" });
    expect(asked.order).toMatchObject({ status: "refunding", refundingFen: 6600 });

    const n = await finish(asked.refund.id);
    expect(n.url).toBe("https://partners.test/api/pay/refund-notify");
    expect((await deliver(n)).status).toBe(204);

    const seen = await (await call(`/api/orders/${orderId}`, { token: member })).json<{ status: string; refundedFen: number; refunds: { status: string }[] }>();
    expect(seen).toMatchObject({ status: "refunded", refundedFen: 6600, refunds: [{ status: "succeeded" }] });
    expect((await entitlement("m-full", "c-full"))?.revoked_at).not.toBeNull();
  });

  it("refunds in parts; the course stays until everything is refunded; the notification settles once", async () => {
    const admin = (await mintMember({ id: "a-part", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-part" })).token;
    await seedCourse("c-part", 10000);
    const { orderId } = await paidOrder(member, "c-part");

    const first = await (await refund(admin, orderId, { amountFen: 3000, reason: "部分退款" })).json<RefundAnswer>();
    const n = await finish(first.refund.id);
    for (let i = 0; i < 20; i++) expect((await deliver(n)).status).toBe(204);
    expect(await orderRow(orderId)).toMatchObject({ status: "paid", refunded_fen: 3000, refund_pending_fen: 0 });
    expect((await entitlement("m-part", "c-part"))?.revoked_at).toBeNull();

    const tooMuch = await refund(admin, orderId, { amountFen: 7001, reason: "太多" });
    expect(tooMuch.status).toBe(409);
    expect(await tooMuch.json()).toMatchObject({ type: "/problems/refund-exceeds-refundable" });

    const rest = await (await refund(admin, orderId, { reason: "剩余全部" })).json<RefundAnswer>();
    expect(rest.refund.amountFen).toBe(7000);
    const n2 = await finish(rest.refund.id);
    await Promise.all(Array.from({ length: 10 }, () => deliver(n2)));
    expect(await orderRow(orderId)).toMatchObject({ status: "refunded", refunded_fen: 10000, refund_pending_fen: 0 });
    expect((await entitlement("m-part", "c-part"))?.revoked_at).not.toBeNull();
    expect((await refund(admin, orderId, { amountFen: 1, reason: "再退" })).status).toBe(409);
  });

  it("never lets concurrent refund requests exceed what was paid", async () => {
    const admin = (await mintMember({ id: "a-conc", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-rconc" })).token;
    await seedCourse("c-rconc", 1000);
    const { orderId } = await paidOrder(member, "c-rconc");
    const statuses = await Promise.all(Array.from({ length: 8 }, () => refund(admin, orderId, { amountFen: 400, reason: "并发" }).then((r) => r.status)));
    expect(statuses.filter((s) => s === 202).length).toBeLessThanOrEqual(2);
    expect(statuses.every((s) => s === 202 || s === 409)).toBe(true);
    const row = await orderRow(orderId);
    const { total } = (await env.DB.prepare("SELECT coalesce(sum(amount_fen), 0) AS total FROM refunds WHERE order_id = ? AND status = 'processing'").bind(orderId).first<{ total: number }>())!;
    expect(row?.refund_pending_fen).toBe(total);
    expect(total).toBeLessThanOrEqual(1000);
  });

  it("gives the reservation back when WeChat closes the refund", async () => {
    const admin = (await mintMember({ id: "a-closed", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-rclosed" })).token;
    await seedCourse("c-rclosed", 2000);
    const { orderId } = await paidOrder(member, "c-rclosed");
    const asked = await (await refund(admin, orderId, { reason: "关闭" })).json<RefundAnswer>();
    expect((await deliver(await finish(asked.refund.id, "CLOSED"))).status).toBe(204);
    expect(await orderRow(orderId)).toMatchObject({ status: "paid", refunded_fen: 0, refund_pending_fen: 0 });
    expect((await entitlement("m-rclosed", "c-rclosed"))?.revoked_at).toBeNull();
  });

  it("refuses non-admins (403), unpaid orders (409), unknown orders (404) and bad input (422), writing nothing", async () => {
    const admin = (await mintMember({ id: "a-guard", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-guard" })).token;
    await seedCourse("c-guard", 2000);
    const { order } = await placeOrder(member, "c-guard");
    const before = await writtenState();
    expect((await refund(member, order.id, { reason: "x" })).status).toBe(403);
    expect((await refund(admin, order.id, { reason: "x" })).status).toBe(409);
    expect((await refund(admin, "O20260101NOSUCHORDER0000", { reason: "x" })).status).toBe(404);
    expect((await refund(admin, order.id, { amountFen: -5, reason: "x" })).status).toBe(422);
    expect((await refund(admin, order.id, { reason: "" })).status).toBe(422);
    expect(await writtenState()).toEqual(before);
  });

  it("refuses a forged refund notification with 401", async () => {
    const admin = (await mintMember({ id: "a-rforge", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-rforge" })).token;
    await seedCourse("c-rforge", 2000);
    const { orderId } = await paidOrder(member, "c-rforge");
    const asked = await (await refund(admin, orderId, { reason: "伪造" })).json<RefundAnswer>();
    const n = await finish(asked.refund.id);
    const before = await writtenState();
    expect((await deliver(n, { body: n.body.replace("REFUND.SUCCESS", "REFUND.SUCCESS ") })).status).toBe(401);
    expect(await writtenState()).toEqual(before);
  });
});
