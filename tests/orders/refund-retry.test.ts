import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { refundIdFor } from "../../worker/orders/ids";
import { call, mintMember } from "../support/api";
import { checkLedgerAfterEach, paidOrder, seedCourse } from "./support";

checkLedgerAfterEach();

const refund = (admin: string, orderId: string, key: string) =>
  call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "重试" }, headers: { "idempotency-key": key } });

describe("an Idempotency-Key keeps only final outcomes", () => {
  it("lets a refund that met a concurrent one (409 refund-in-progress, 'try again') run when retried with its key", async () => {
    const admin = (await mintMember({ id: "a-retry", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-retry" })).token;
    await seedCourse("c-retry", 1500);
    const { orderId } = await paidOrder(member, "c-retry");

    // Another request is taking this order's next refund number at the same moment.
    const busy = env.DB.prepare("INSERT INTO refunds (id, order_id, amount_fen, reason, status, requested_by, created_at) VALUES (?, ?, 1, 'x', 'closed', 'a-other', ?)");
    await busy.bind(refundIdFor(orderId, 1), orderId, Date.now()).run();
    const first = await refund(admin, orderId, "refund-once");
    expect(first.status).toBe(409);
    expect(await first.json()).toMatchObject({ type: "/problems/refund-in-progress" });
    await env.DB.prepare("DELETE FROM refunds WHERE id = ?").bind(refundIdFor(orderId, 1)).run();

    const retry = await refund(admin, orderId, "refund-once");
    expect(retry.headers.get("idempotent-replayed")).toBeNull();
    expect(retry.status).toBe(202);
    // From now on the key's answer is final.
    const again = await refund(admin, orderId, "refund-once");
    expect(again.status).toBe(202);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
    expect(await again.json()).toEqual(await retry.json());
  });
});
