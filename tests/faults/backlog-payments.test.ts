import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../worker/http/log";
import { settleOverduePayments } from "../../worker/orders/jobs";
import { followUpTransfers } from "../../worker/payouts/jobs";
import { call, mintMember, parsed } from "../support/api";
import { expectShopPostings, orderRow, paidOrder, placeOrder, sandbox, sandboxPay, seedCourse } from "../orders/support";
import { approve, earn, finishTransfer, seedPerson, withdrawalRow } from "../payouts/support";
import { checkLedgerAfterEach, wechatFault } from "./support";

checkLedgerAfterEach();

const log = createLogger({ test: "backlogs" });
const CHUNK = { chunkSize: 2, chunks: 1 };
/** Puts rows in a known order, oldest first, all past the jobs' 5-minute grace period. */
const backdate = (table: string, ids: string[]) =>
  env.DB.batch(ids.map((id, i) => env.DB.prepare(`UPDATE ${table} SET created_at = ? WHERE id = ?`).bind(Date.now() - 3_600_000 + i * 1000, id)));

describe("bounded jobs walk a backlog larger than a chunk over successive runs", () => {
  it("the overdue-payment job reaches a lost payment behind a chunk-filling head of unpaid orders still inside their time to live", async () => {
    const { token } = await mintMember({ id: "m-backlog" });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      await seedCourse(`c-backlog-${i}`, 1000 + i);
      ids.push((await placeOrder(token, `c-backlog-${i}`)).order.id);
    }
    await sandboxPay(ids[5]); // the newest is paid; its notification is lost; the others stay unpaid for now
    await backdate("orders", ids);

    const runs = [];
    for (let run = 0; run < 3; run++) runs.push((await settleOverduePayments(env, new Date(), log, CHUNK)).paid);
    expect(runs).toEqual([0, 0, 1]);
    expect(await orderRow(ids[5])).toMatchObject({ status: "paid" });
    expect((await settleOverduePayments(env, new Date(), log, CHUNK)).failed, "starts again at the oldest").toBe(0);
    await expectShopPostings();
  });

  it("the overdue-payment job reaches a refund WeChat finished behind a chunk-filling head of refunds WeChat is still processing", async () => {
    const admin = (await mintMember({ id: "a-rbacklog", roles: ["admin"] })).token;
    const { token } = await mintMember({ id: "m-rbacklog" });
    const refunds: string[] = [];
    for (let i = 0; i < 5; i++) {
      await seedCourse(`c-rbacklog-${i}`, 2000);
      const { orderId } = await paidOrder(token, `c-rbacklog-${i}`);
      const asked = await parsed(call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { reason: "积压退款" } }));
      refunds.push(asked.body.refund.id);
    }
    await sandbox(`/sandbox/refund/${refunds[4]}`, { deliver: false }); // the newest is done at WeChat; its notification is lost
    await backdate("refunds", refunds);

    const runs = [];
    for (let run = 0; run < 3; run++) runs.push((await settleOverduePayments(env, new Date(), log, CHUNK)).refundsSettled);
    expect(runs).toEqual([0, 0, 1]);
    expect((await env.DB.prepare("SELECT status FROM refunds WHERE id = ?").bind(refunds[4]).first<{ status: string }>())!.status).toBe("succeeded");
    await expectShopPostings();
  });

  it("the transfer follow-up job settles a backlog of quiet transfers a chunk per run", async () => {
    const admin = await seedPerson("a-tbacklog", { admin: true });
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const member = `p-tbacklog-${i}`;
      const p = await seedPerson(member);
      await earn(member, 1_000);
      const w = (await parsed(call("/api/partner/withdrawals", { token: p, json: { amountFen: 1_000 } }))).body as { id: string };
      expect((await approve(admin, w.id)).status).toBe(200);
      await finishTransfer(w.id, "SUCCESS"); // every notification is lost
      ids.push(w.id);
    }
    const runs = [];
    for (let run = 1; run <= 4; run++) runs.push((await followUpTransfers(env, new Date(Date.now() + run * 10 * 60_000), log, 2)).settled);
    expect(runs).toEqual([2, 2, 1, 0]);
    for (const id of ids) expect(await withdrawalRow(id)).toMatchObject({ status: "paid" });
  });

  it("the transfer follow-up job is not held up by a chunk of transfers whose queries keep failing", async () => {
    const admin = await seedPerson("a-hol", { admin: true });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const member = `p-hol-${i}`;
      const p = await seedPerson(member);
      await earn(member, 1_000);
      const w = (await parsed(call("/api/partner/withdrawals", { token: p, json: { amountFen: 1_000 } }))).body as { id: string };
      expect((await approve(admin, w.id)).status).toBe(200);
      await finishTransfer(w.id, "SUCCESS");
      ids.push(w.id);
    }
    // WeChat cannot answer about the two quietest for a while.
    for (const id of ids.slice(0, 2)) await wechatFault({ method: "GET", path: `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${id}`, kind: "http-500", times: 10 });
    const first = await followUpTransfers(env, new Date(Date.now() + 10 * 60_000), log, 2);
    expect(first).toMatchObject({ settled: 0, failed: 2 });
    const second = await followUpTransfers(env, new Date(Date.now() + 20 * 60_000), log, 2);
    expect(second).toMatchObject({ settled: 1 });
    expect(await withdrawalRow(ids[2])).toMatchObject({ status: "paid" });
  });
});
