import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../worker/http/middleware";
import { openOrderQuery } from "../../worker/orders/create";
import { chain } from "../commissions/support";
import { mintMember } from "../support/api";
import { metered } from "../support/round-trips";
import { checkLedgerAfterEach, orderRow, seedCourse } from "./support";

checkLedgerAfterEach();

const orderMetered = (token: string, courseId: string) => metered("/api/orders", { token, json: { courseId } });
/** Round trips that write the orders table. */
const orderWrites = (trips: { sql: string[] }[]) => trips.filter((t) => t.sql.some((sql) => /(INSERT\s+INTO|UPDATE)\s+orders\b/i.test(sql)));
const ordersOf = async (memberId: string) =>
  (await env.DB.prepare("SELECT id, status FROM orders WHERE member_id = ? ORDER BY created_at, id").bind(memberId).all<{ id: string; status: string }>()).results;

describe("what a course order costs in D1 (at most two round trips)", () => {
  it("reads everything in one batch, then places the order with its prepay id and commission snapshot in one more", async () => {
    const [buyer] = await chain([["rt-o-buyer", "member"], ["rt-o-l1", "promoter"], ["rt-o-l2", "channel_partner"]]);
    await seedCourse("c-rt-first", 9900);
    const res = await orderMetered(buyer, "c-rt-first");
    expect(res.status).toBe(201);
    expect(res.roundTrips).toBe(2);
    expect(res.trips.map((t) => t.kind)).toEqual(["batch", "batch"]);
    // Exactly one round trip writes the order: the second, which inserts it.
    expect(orderWrites(res.trips)).toEqual([res.trips[1]]);
    const row = await orderRow(res.body.order.id);
    expect(row).toMatchObject({ status: "pending", amount_fen: 9900, referrer1_id: "rt-o-l1", referrer2_id: "rt-o-l2", open_key: "course:rt-o-buyer:c-rt-first" });
    expect(row!.prepay_id).toMatch(/^wx/);
    expect(JSON.parse(row!.commission_plan as string).earners.map((e: { earnerId: string }) => e.earnerId)).toEqual(["rt-o-l1", "rt-o-l2"]);
    expect(res.body.payParams.package).toBe(`prepay_id=${row!.prepay_id}`);
    // The read batch's open-order query gives the row exactly as the orders module reads it (SELECT *).
    expect(await openOrderQuery(createDb(env.DB), "course:rt-o-buyer:c-rt-first")).toEqual([row]);

    // Tapping buy again: the same order, re-signed from its stored prepay id, from the read batch alone.
    const again = await orderMetered(buyer, "c-rt-first");
    expect(again.status).toBe(200);
    expect(again.body.order.id).toBe(res.body.order.id);
    expect(again.body.payParams.package).toBe(res.body.payParams.package);
    expect(again.roundTrips).toBe(1);
    expect(orderWrites(again.trips)).toEqual([]);
    expect(await ordersOf("rt-o-buyer")).toHaveLength(1);
  });

  it("replaces an order past its payment window in the same two round trips: the batch that inserts the new one closes it", async () => {
    const { id, token } = await mintMember({ id: "rt-o-expired" });
    await seedCourse("c-rt-expired", 3000);
    const first = await orderMetered(token, "c-rt-expired");
    await env.DB.prepare("UPDATE orders SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, first.body.order.id).run();
    const second = await orderMetered(token, "c-rt-expired");
    expect(second.status).toBe(201);
    expect(second.body.order.id).not.toBe(first.body.order.id);
    expect(second.roundTrips).toBe(2);
    expect(orderWrites(second.trips)).toEqual([second.trips[1]]);
    expect(await ordersOf(id)).toEqual([
      { id: first.body.order.id, status: "closed" },
      { id: second.body.order.id, status: "pending" },
    ]);
  });

  it("refuses from the read batch alone — a course already open to the member, an unpublished one, a blocked member — writing nothing", async () => {
    const { id, token } = await mintMember({ id: "rt-o-refused" });
    await seedCourse("c-rt-owned", 3000);
    await seedCourse("c-rt-draft", 3000, "draft");
    await env.DB.prepare("INSERT INTO entitlements (member_id, course_id, source, order_id, granted_at) VALUES (?, 'c-rt-owned', 'admin', NULL, ?)").bind(id, Date.now()).run();
    const owned = await orderMetered(token, "c-rt-owned");
    expect([owned.status, owned.body.type, owned.roundTrips]).toEqual([409, "/problems/already-entitled", 1]);
    const draft = await orderMetered(token, "c-rt-draft");
    expect([draft.status, draft.roundTrips]).toEqual([404, 1]);
    await env.DB.prepare("UPDATE members SET blocked_at = ? WHERE id = ?").bind(Date.now(), id).run();
    await seedCourse("c-rt-blocked", 3000);
    const blocked = await orderMetered(token, "c-rt-blocked");
    expect([blocked.status, blocked.roundTrips]).toEqual([403, 1]);
    expect(await ordersOf(id)).toEqual([]);
  });
});
