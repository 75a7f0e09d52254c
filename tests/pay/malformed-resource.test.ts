import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, mintMember } from "../support/api";
import { deliver, placeOrder, sandbox, seedCourse, writtenState, checkLedgerAfterEach } from "../orders/support";

checkLedgerAfterEach();

/** Signed and encrypted exactly as WeChat would, so only the decrypted resource is wrong. */
const signed = (path: string, eventType: string, resource: unknown) =>
  sandbox("/sandbox/notifications", { notify_url: `https://partners.test${path}`, event_type: eventType, resource });

describe("a validly signed notification whose decrypted resource is malformed", () => {
  it("answers 400 and writes nothing: payment without out_trade_no, with a number for it, without amount", async () => {
    const token = (await mintMember({ id: "m-malformed" })).token;
    await seedCourse("c-malformed", 5000);
    const { order } = await placeOrder(token, "c-malformed");
    const good = { mchid: env.WECHATPAY_MCHID, appid: env.WECHAT_APPID, out_trade_no: order.id, transaction_id: "4200000000000000000000000099", trade_state: "SUCCESS", amount: { total: 5000, currency: "CNY" } };
    const { out_trade_no: _omitted, ...withoutTradeNo } = good;
    const before = await writtenState();
    for (const resource of [withoutTradeNo, { ...good, out_trade_no: 12345 }, { ...good, amount: undefined }, { ...good, trade_state: ["SUCCESS"] }, "SUCCESS", null]) {
      const res = await deliver(await signed("/api/pay/notify", "TRANSACTION.SUCCESS", resource));
      expect(res.status, JSON.stringify(resource)).toBe(400);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
    }
    expect(await writtenState()).toEqual(before);
  });

  it("answers 400 and writes nothing for a refund notification without out_refund_no", async () => {
    const before = await writtenState();
    const res = await deliver(await signed("/api/pay/refund-notify", "REFUND.SUCCESS", { mchid: env.WECHATPAY_MCHID, out_trade_no: "O20260101X", refund_id: "50x", refund_status: "SUCCESS", amount: { refund: 1, total: 1 } }));
    expect(res.status).toBe(400);
    expect(await writtenState()).toEqual(before);
  });
});
