import { describe, expect, it } from "vitest";
import { call, mintMember } from "../support/api";
import { deliver, paidOrder, sandbox, seedCourse, type Notification } from "../orders/support";
import { accountsOf, chain, checkLedgerAfterEach, commissionsOf, settleAfter } from "./support";

checkLedgerAfterEach();

/** Delivers a notification until the worker accepts it (WeChat retries a notification that was not answered 2xx). */
async function deliverUntilAccepted(n: Notification) {
  for (let i = 0; i < 5; i++) if ((await deliver(n)).status === 204) return;
  throw new Error("notification never accepted");
}

describe("a refund racing the settlement job", () => {
  it("moves each fen once whichever wins: what the partner keeps is the rate on what the buyer kept", async () => {
    const admin = (await mintMember({ id: "race-admin", roles: ["admin"] })).token;
    for (let round = 0; round < 4; round++) {
      const [buyer] = await chain([[`race-b${round}`, "member"], [`race-l1-${round}`, "promoter"]]);
      await seedCourse(`c-race-${round}`, 10000);
      const { orderId } = await paidOrder(buyer, `c-race-${round}`);
      const asked = await (await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { amountFen: 4000, reason: "部分退款" } })).json<{ refund: { id: string } }>();
      const n = await sandbox(`/sandbox/refund/${asked.refund.id}`, { status: "SUCCESS", deliver: false });
      // Both read the same frozen commission; the version guard lets exactly one of them apply first.
      await Promise.allSettled([settleAfter(8), deliver(n), settleAfter(8)]);
      await deliverUntilAccepted(n);
      await settleAfter(8);
      const [c] = await commissionsOf(orderId);
      expect(c.amount_fen - c.cancelled_fen - c.clawed_back_fen).toBe(600);
      expect(await accountsOf(`race-l1-${round}`)).toMatchObject({ frozen: 0, available: 600, debt: 0 });
    }
  });
});
