import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settleLotDeposits } from "../../worker/auctions/jobs";
import { settleOverduePayments } from "../../worker/orders/jobs";
import { deliver, orderRow, sandbox, sandboxPay } from "../orders/support";
import { api, bid, createLot, endLot, memberWithToken } from "../auctions/support";
import { LEDGER, age, breakStatement, checkLedgerAfterEach, snapshot, wechatFault } from "./support";

checkLedgerAfterEach();

const DEPOSIT = 20_000;
const quiet = { warn: () => undefined };
const account = (id: string) =>
  env.DB.prepare("SELECT debits_posted AS dp, credits_posted AS cp, debits_pending AS dq, credits_pending AS cq FROM accounts WHERE id = ?").bind(id).first<Record<string, number>>();
const depositRow = (lotId: string, memberId: string) =>
  env.DB.prepare("SELECT status, order_id FROM lot_deposits WHERE lot_id = ? AND member_id = ?").bind(lotId, memberId).first<{ status: string; order_id: string }>();
const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;

async function depositOrder(lotId: string, token: string) {
  const res = await api(`/api/lots/${lotId}/deposit`, { method: "POST", token });
  expect(res.status).toBe(201);
  return res.body.order.id as string;
}

describe("faults in auction deposits", () => {
  it("a deposit payment whose hold batch fails writes nothing; the redelivered notification holds it once", async () => {
    const lot = await createLot({ depositFen: DEPOSIT });
    const a = await memberWithToken();
    const orderId = await depositOrder(lot.id, a.token);
    const notification = await sandboxPay(orderId);
    const state = () => snapshot(...LEDGER, "SELECT * FROM lot_deposits", "SELECT id, status FROM orders");
    const before = await state();

    const fault = await breakStatement("lot_deposits", "INSERT");
    expect((await deliver(notification)).status).toBeGreaterThanOrEqual(500);
    expect(await state()).toEqual(before);
    expect((await bid(lot.id, a.token, { amountFen: 50_000 })).body.type).toBe("/problems/deposit-required");

    await fault.heal();
    expect((await deliver(notification)).status).toBe(204);
    expect((await deliver(notification)).status).toBe(204);
    expect(await depositRow(lot.id, a.id)).toEqual({ status: "held", order_id: orderId });
    expect(await account(`deposit_held:${a.id}`)).toEqual({ dp: 0, cp: DEPOSIT, dq: DEPOSIT, cq: 0 });
    expect(await count("SELECT count(*) AS n FROM transfers WHERE id = ?", `order:${orderId}:deposit-hold`)).toBe(1);
    expect((await bid(lot.id, a.token, { amountFen: 50_000 })).status).toBe(200);
  });

  it("a loser's deposit whose release batch fails stays held; the next run releases it, and a refund WeChat never received is resent under the same out_refund_no", async () => {
    const lot = await createLot({ depositFen: DEPOSIT });
    const [a, b] = [await memberWithToken(), await memberWithToken()];
    const orderA = await depositOrder(lot.id, a.token);
    expect((await deliver(await sandboxPay(orderA))).status).toBe(204);
    expect((await deliver(await sandboxPay(await depositOrder(lot.id, b.token)))).status).toBe(204);
    await bid(lot.id, a.token, { amountFen: 50_000 });
    await bid(lot.id, b.token, { amountFen: 60_000 });
    await endLot(lot.id);

    const fault = await breakStatement("transfers", "INSERT", `NEW.id = 'lot:${lot.id}:deposit-release:${a.id}'`);
    expect(await settleLotDeposits(env, new Date(), quiet)).toMatchObject({ released: 0, refunded: 0 });
    expect(await depositRow(lot.id, a.id)).toMatchObject({ status: "held" });
    expect(await account(`deposit_held:${a.id}`)).toMatchObject({ dq: DEPOSIT });
    await fault.heal();

    // Released now; the refund's call to WeChat is lost before WeChat sees it (an outage).
    await wechatFault({ path: "/v3/refund/domestic/refunds", kind: "http-500" });
    expect(await settleLotDeposits(env, new Date(), quiet)).toMatchObject({ released: 1, refunded: 1 });
    expect(await depositRow(lot.id, a.id)).toMatchObject({ status: "refunded" });
    expect(await account(`deposit_held:${a.id}`)).toMatchObject({ dq: 0, cp: DEPOSIT, dp: 0 });
    const refund = (await env.DB.prepare("SELECT id, status FROM refunds WHERE order_id = ?").bind(orderA).first<{ id: string; status: string }>())!;
    expect(refund.status).toBe("processing");

    await age("refunds", `id = '${refund.id}'`, 6 * 60_000);
    expect(await settleOverduePayments(env)).toMatchObject({ refundsResent: 1, failed: 0 });
    await sandbox(`/sandbox/refund/${refund.id}`, { deliver: false }); // WeChat refunds; the notification is lost too
    expect(await settleOverduePayments(env)).toMatchObject({ refundsSettled: 1, failed: 0 });
    expect(await orderRow(orderA)).toMatchObject({ status: "refunded", refunded_fen: DEPOSIT });
    expect(await count("SELECT count(*) AS n FROM refunds WHERE order_id = ?", orderA)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM transfers WHERE id = ?", `refund:${refund.id}`)).toBe(1);
    expect(await account(`deposit_held:${a.id}`)).toMatchObject({ dp: DEPOSIT, cp: DEPOSIT, dq: 0 });
  });
});
