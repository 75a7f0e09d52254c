import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settleLotDeposits } from "../../worker/auctions/jobs";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { deliver, orderRow, sandbox, sandboxPay } from "../orders/support";
import { api, bid, createLot, endLot, memberWithToken } from "./support";

const DEPOSIT = 20_000;
const quiet = { warn: () => undefined };

/** Pays an order through the WeChat sandbox and delivers its notification. */
async function pay(orderId: string) {
  expect((await deliver(await sandboxPay(orderId))).status).toBe(204);
}

async function paidDeposit(lotId: string, token: string) {
  const res = await api(`/api/lots/${lotId}/deposit`, { method: "POST", token });
  expect(res.status).toBe(201);
  expect(res.body.order).toMatchObject({ kind: "auction_deposit", subjectId: lotId, amountFen: DEPOSIT, status: "pending" });
  await pay(res.body.order.id);
  return res.body.order.id as string;
}

const account = (id: string) =>
  env.DB.prepare("SELECT debits_posted AS dp, credits_posted AS cp, debits_pending AS dq, credits_pending AS cq FROM accounts WHERE id = ?").bind(id).first<Record<string, number>>();
const depositRow = (lotId: string, memberId: string) => env.DB.prepare("SELECT status, order_id FROM lot_deposits WHERE lot_id = ? AND member_id = ?").bind(lotId, memberId).first<{ status: string; order_id: string }>();
const saleRow = (lotId: string) => env.DB.prepare("SELECT status, order_id, payment_due_at FROM lot_sales WHERE lot_id = ?").bind(lotId).first<{ status: string; order_id: string | null; payment_due_at: number }>();

/** Settles every refund WeChat has accepted (the sandbox delivers each notification). */
async function settleRefunds(orderId: string) {
  const { results } = await env.DB.prepare("SELECT id FROM refunds WHERE order_id = ? AND status = 'processing'").bind(orderId).all<{ id: string }>();
  for (const r of results) expect((await deliver(await sandbox(`/sandbox/refund/${r.id}`, { deliver: false }))).status).toBe(204);
}

describe("deposits and purchases as orders", () => {
  it("a paid deposit order lets the member bid; the deposit is held for the lot, once", async () => {
    const lot = await createLot({ depositFen: DEPOSIT });
    const a = await memberWithToken();
    expect((await bid(lot.id, a.token, { amountFen: 50_000 })).body.type).toBe("/problems/deposit-required");
    const orderId = await paidDeposit(lot.id, a.token);
    expect(await depositRow(lot.id, a.id)).toEqual({ status: "held", order_id: orderId });
    expect(await account(`deposit_held:${a.id}`)).toEqual({ dp: 0, cp: DEPOSIT, dq: DEPOSIT, cq: 0 });
    expect((await bid(lot.id, a.token, { amountFen: 50_000 })).status).toBe(200);
    expect((await api(`/api/lots/${lot.id}/deposit`, { method: "POST", token: a.token })).body.type).toBe("/problems/deposit-already-paid");
    const noDeposit = await createLot();
    expect((await api(`/api/lots/${noDeposit.id}/deposit`, { method: "POST", token: a.token })).body.type).toBe("/problems/no-deposit-needed");
    await expectLedgerInvariants(env.DB);
  });

  it("after the lot: the loser is refunded at once; the winner pays the hammer price, then is refunded too", async () => {
    const lot = await createLot({ depositFen: DEPOSIT });
    const [a, b] = [await memberWithToken(), await memberWithToken()];
    const [orderA, orderB] = [await paidDeposit(lot.id, a.token), await paidDeposit(lot.id, b.token)];
    await bid(lot.id, a.token, { amountFen: 50_000 });
    await bid(lot.id, b.token, { amountFen: 60_000 });
    await endLot(lot.id);

    expect(await settleLotDeposits(env, new Date(), quiet)).toMatchObject({ released: 1, refunded: 1 });
    expect(await depositRow(lot.id, a.id)).toMatchObject({ status: "refunded" });
    await settleRefunds(orderA);
    expect(await orderRow(orderA)).toMatchObject({ status: "refunded", refunded_fen: DEPOSIT });
    expect(await account(`deposit_held:${a.id}`)).toEqual({ dp: DEPOSIT, cp: DEPOSIT, dq: 0, cq: 0 });
    expect(await depositRow(lot.id, b.id)).toMatchObject({ status: "held" });

    expect((await api(`/api/lots/${lot.id}/purchase`, { method: "POST", token: a.token })).status).toBe(404);
    const purchase = await api(`/api/lots/${lot.id}/purchase`, { method: "POST", token: b.token });
    expect(purchase.status).toBe(201);
    expect(purchase.body.order).toMatchObject({ kind: "auction_purchase", amountFen: 60_000 });
    await pay(purchase.body.order.id);
    expect(await saleRow(lot.id)).toMatchObject({ status: "paid", order_id: purchase.body.order.id });
    const revenue = await env.DB.prepare("SELECT debit_account_id, credit_account_id, amount FROM transfers WHERE id = ?").bind(`order:${purchase.body.order.id}:revenue`).first();
    expect(revenue).toEqual({ debit_account_id: "wechat_clearing", credit_account_id: "revenue_auction", amount: 60_000 });

    expect(await settleLotDeposits(env, new Date(), quiet)).toMatchObject({ released: 1, refunded: 1 });
    await settleRefunds(orderB);
    expect(await account(`deposit_held:${b.id}`)).toEqual({ dp: DEPOSIT, cp: DEPOSIT, dq: 0, cq: 0 });
    expect(await settleLotDeposits(env, new Date(), quiet)).toEqual({ forfeited: 0, released: 0, refunded: 0 });
    await expectLedgerInvariants(env.DB);
  });

  it("an unpaid winner forfeits the deposit at the deadline; the open purchase order is closed first", async () => {
    const lot = await createLot({ depositFen: DEPOSIT });
    const [a, b] = [await memberWithToken(), await memberWithToken()];
    await paidDeposit(lot.id, a.token);
    await paidDeposit(lot.id, b.token);
    await bid(lot.id, a.token, { amountFen: 50_000 });
    await bid(lot.id, b.token, { amountFen: 60_000 });
    await endLot(lot.id);
    const purchase = await api(`/api/lots/${lot.id}/purchase`, { method: "POST", token: b.token });
    const due = (await saleRow(lot.id))!.payment_due_at;

    const revenueBefore = (await account("revenue_auction"))!;
    const summary = await settleLotDeposits(env, new Date(due + 1), quiet);
    expect(summary.forfeited).toBe(1);
    expect(await orderRow(purchase.body.order.id)).toMatchObject({ status: "closed" });
    expect(await saleRow(lot.id)).toMatchObject({ status: "unpaid" });
    expect(await depositRow(lot.id, b.id)).toMatchObject({ status: "forfeited" });
    const revenueAfter = (await account("revenue_auction"))!;
    expect(revenueAfter.cp - revenueBefore.cp).toBe(DEPOSIT);
    expect(await account(`deposit_held:${b.id}`)).toEqual({ dp: DEPOSIT, cp: DEPOSIT, dq: 0, cq: 0 });
    expect((await api(`/api/lots/${lot.id}/purchase`, { method: "POST", token: b.token })).body.type).toBe("/problems/payment-deadline-passed");
    const audit = await env.DB.prepare("SELECT actor_kind FROM audit_log WHERE action = 'lot.sale.unpaid' AND target_id = ?").bind(lot.id).all();
    expect(audit.results).toEqual([{ actor_kind: "system" }]);
    await expectLedgerInvariants(env.DB);
  });
});
