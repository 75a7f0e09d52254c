import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { deliver, entitlement, orderRow, paidOrder, placeOrder, sandbox, sandboxPay, seedCourse, writtenState, type Notification, checkLedgerAfterEach } from "../orders/support";
import { call, mintMember } from "../support/api";

checkLedgerAfterEach();

describe("the payment notification", () => {
  it("fulfils a paid order: order paid, course entitled, settlement recorded", async () => {
    const token = (await mintMember({ id: "m-happy" })).token;
    await seedCourse("c-happy", 9900);
    const placed = await placeOrder(token, "c-happy");
    expect(placed.order).toMatchObject({ status: "pending", amountFen: 9900 });

    const n = await sandboxPay(placed.order.id);
    expect(n.url).toBe("https://partners.test/api/pay/notify");
    const res = await deliver(n);
    expect(res.status).toBe(204);

    const order = await (await call(`/api/orders/${placed.order.id}`, { token })).json<{ status: string; paidAt: string | null }>();
    expect(order.status).toBe("paid");
    expect(order.paidAt).not.toBeNull();
    expect(await entitlement("m-happy", "c-happy")).toMatchObject({ order_id: placed.order.id, revoked_at: null });
    const state = await writtenState();
    expect(state.settlements).toHaveLength(1);
    expect(state.transfers).toEqual([{ id: `order:${placed.order.id}:revenue`, amount: 9900 }]);
    expect(state.accounts).toEqual([
      { id: "revenue_course", debits_posted: 0, credits_posted: 9900 },
      { id: "wechat_clearing", debits_posted: 9900, credits_posted: 0 },
    ]);
  });

  it("fulfils once when the same notification arrives 100 times, answering 204 every time", async () => {
    const token = (await mintMember({ id: "m-dup" })).token;
    await seedCourse("c-dup", 1990);
    const { orderId, notification } = await paidOrder(token, "c-dup");
    const before = await writtenState();
    for (let i = 0; i < 100; i++) expect((await deliver(notification)).status).toBe(204);
    expect(await writtenState()).toEqual(before);
    expect((await orderRow(orderId))?.status).toBe("paid");
  });

  it("fulfils once when 25 copies arrive concurrently", async () => {
    const token = (await mintMember({ id: "m-conc" })).token;
    await seedCourse("c-conc", 2990);
    const placed = await placeOrder(token, "c-conc");
    const n = await sandboxPay(placed.order.id);
    const statuses = await Promise.all(Array.from({ length: 25 }, () => deliver(n).then((r) => r.status)));
    expect(statuses.every((s) => s === 204)).toBe(true);
    const state = await writtenState();
    expect(state.settlements.filter((s) => (s as { order_id: string }).order_id === placed.order.id)).toHaveLength(1);
    expect((await orderRow(placed.order.id))?.status).toBe("paid");
  });

  describe("refuses with 401 and writes nothing", () => {
    async function pendingNotification(tag: string): Promise<{ n: Notification; orderId: string }> {
      const token = (await mintMember({ id: `m-${tag}` })).token;
      await seedCourse(`c-${tag}`, 5000);
      const placed = await placeOrder(token, `c-${tag}`);
      return { n: await sandboxPay(placed.order.id), orderId: placed.order.id };
    }

    it("a body altered after signing", async () => {
      const { n, orderId } = await pendingNotification("forged");
      const before = await writtenState();
      const res = await deliver(n, { body: n.body.replace('"TRANSACTION.SUCCESS"', '"TRANSACTION.SUCCESS" ') });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ type: "/problems/bad-signature" });
      expect(await writtenState()).toEqual(before);
      expect((await orderRow(orderId))?.status).toBe("pending");
    });

    it("a signature made by another key, a garbage signature, an unknown serial, missing headers", async () => {
      const { n } = await pendingNotification("badsig");
      const other = await sandboxPay((await placeOrder((await mintMember({ id: "m-badsig2" })).token, "c-badsig")).order.id);
      const before = await writtenState();
      const attempts: { headers: Record<string, string> }[] = [
        { headers: { "Wechatpay-Signature": other.headers["Wechatpay-Signature"] } },
        { headers: { "Wechatpay-Signature": "bm90IGEgc2lnbmF0dXJl" } },
        { headers: { "Wechatpay-Signature": "%%%" } },
        { headers: { "Wechatpay-Serial": "PUB_KEY_ID_0000000000000000000000000000" } },
        { headers: { "Wechatpay-Nonce": "" } },
      ];
      for (const a of attempts) expect((await deliver(n, a)).status).toBe(401);
      expect(await writtenState()).toEqual(before);
    });

    it("a notification signed more than 5 minutes ago", async () => {
      const { orderId } = await pendingNotification("stale");
      const stale = await sandbox("/sandbox/notifications", {
        notify_url: "https://partners.test/api/pay/notify",
        timestamp: Math.floor(Date.now() / 1000) - 301,
        resource: { mchid: "1900000001", appid: "wx0000000000sandbox", out_trade_no: orderId, transaction_id: "4200000000000000000000000001", trade_state: "SUCCESS", amount: { total: 5000, currency: "CNY" } },
      });
      const before = await writtenState();
      expect((await deliver(stale)).status).toBe(401);
      expect(await writtenState()).toEqual(before);
    });

    it("WeChat's WECHATPAY/SIGNTEST/ probe", async () => {
      const { n } = await pendingNotification("probe");
      const before = await writtenState();
      expect((await deliver(n, { headers: { "Wechatpay-Signature": `WECHATPAY/SIGNTEST/${n.headers["Wechatpay-Signature"]}` } })).status).toBe(401);
      expect(await writtenState()).toEqual(before);
    });
  });

  it("refuses a genuine notification whose amount, mchid or appid differ from the order, writing nothing", async () => {
    const token = (await mintMember({ id: "m-mismatch" })).token;
    await seedCourse("c-mismatch", 8800);
    const placed = await placeOrder(token, "c-mismatch");
    const good = { mchid: "1900000001", appid: "wx0000000000sandbox", out_trade_no: placed.order.id, transaction_id: "4200000000000000000000000002", trade_state: "SUCCESS", amount: { total: 8800, currency: "CNY" } };
    const before = await writtenState();
    for (const resource of [
      { ...good, amount: { total: 1, currency: "CNY" } },
      { ...good, mchid: "1900000999" },
      { ...good, appid: "wx_other" },
      { ...good, out_trade_no: "O20260101NOSUCHORDER0000" },
    ]) {
      const n = await sandbox("/sandbox/notifications", { notify_url: "https://partners.test/api/pay/notify", resource });
      const res = await deliver(n);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ type: "/problems/payment-mismatch" });
    }
    expect(await writtenState()).toEqual(before);
  });

  it("still takes a payment WeChat reports for an order that was closed here in the meantime", async () => {
    const token = (await mintMember({ id: "m-closedpaid" })).token;
    await seedCourse("c-closedpaid", 4200);
    const placed = await placeOrder(token, "c-closedpaid");
    const n = await sandboxPay(placed.order.id); // paid at WeChat, notification delayed
    await env.DB.prepare("UPDATE orders SET status = 'closed', closed_at = ? WHERE id = ?").bind(Date.now(), placed.order.id).run();
    expect((await deliver(n)).status).toBe(204);
    expect(await orderRow(placed.order.id)).toMatchObject({ status: "paid" });
    expect((await entitlement("m-closedpaid", "c-closedpaid"))?.revoked_at).toBeNull();
  });

  it("documents the shop's routes in /openapi.json", async () => {
    const doc = await (await call("/openapi.json")).json<{ paths: Record<string, unknown> }>();
    for (const path of ["/api/orders", "/api/orders/{id}", "/api/pay/notify", "/api/pay/refund-notify", "/api/admin/orders/{id}/refund"]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});
