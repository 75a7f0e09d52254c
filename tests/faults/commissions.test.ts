import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountsOf, chain, commissionsOf, settleAfter } from "../commissions/support";
import { paidOrder, seedCourse } from "../orders/support";
import { breakStatement, checkLedgerAfterEach } from "./support";

checkLedgerAfterEach();

describe("faults in commission settlement", () => {
  it("a settlement batch that fails moves nothing for the commission it cannot settle, settles the others, and the next run finishes it once", async () => {
    const [buyer] = await chain([["cs-buyer", "member"], ["cs-l1", "promoter"], ["cs-l2", "channel_partner"]]);
    const orders: string[] = [];
    for (let i = 0; i < 3; i++) {
      await seedCourse(`c-cs-${i}`, 10_000);
      orders.push((await paidOrder(buyer, `c-cs-${i}`)).orderId);
    }
    const stuck = (await commissionsOf(orders[1]))[0];
    const fault = await breakStatement("transfers", "INSERT", `NEW.id = '${stuck.id}:settle'`);
    const first = await settleAfter(8);
    expect(first).toMatchObject({ skipped: 1 });
    expect((await commissionsOf(orders[1]))[0]).toMatchObject({ status: "frozen", settled_fen: 0 });
    const l1 = await accountsOf("cs-l1");
    expect(l1.frozen).toBe(stuck.amount_fen);
    expect(l1.available).toBe(3 * stuck.amount_fen - stuck.amount_fen);

    await fault.heal();
    expect(await settleAfter(8)).toMatchObject({ settled: 1, skipped: 0 });
    expect(await settleAfter(9)).toMatchObject({ settled: 0, skipped: 0 });
    expect(await accountsOf("cs-l1")).toMatchObject({ frozen: 0, available: 3 * stuck.amount_fen });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM transfers WHERE id LIKE ?").bind(`${stuck.id}:settle`).first<{ n: number }>())!.n).toBe(1);
  });
});
