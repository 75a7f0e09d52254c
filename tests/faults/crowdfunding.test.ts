import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executeTransfers } from "../../worker/ledger/service";
import { settleOverduePayments } from "../../worker/orders/jobs";
import { runScheduled } from "../../worker/scheduled";
import { adminToken, api, openRound, paySubscription, roundRow, seedMembers, subscribe } from "../crowdfunding/support";
import { deliver, sandboxPay } from "../orders/support";
import { LEDGER, age, breakStatement, checkLedgerAfterEach, snapshot } from "./support";

checkLedgerAfterEach();

const balance = async (id: string) =>
  (await env.DB.prepare("SELECT credits_posted - debits_posted AS fen FROM accounts WHERE id = ?").bind(id).first<{ fen: number }>())?.fen ?? 0;
const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;
const every5min = (at: number) => runScheduled({ cron: "*/5 * * * *", scheduledTime: at }, env);

describe("faults in crowdfunding", () => {
  it("a subscription payment whose batch fails writes nothing; with its notification lost, the overdue-payment job pays it once", async () => {
    const roundId = await openRound({ targetShares: 10 });
    const [m] = await seedMembers("sub-fault", 1);
    const sub = (await subscribe(m, roundId, 3)).body.subscription as { id: string };
    const orderId = (await env.DB.prepare("SELECT order_id FROM share_subscriptions WHERE id = ?").bind(sub.id).first<{ order_id: string }>())!.order_id;
    const notification = await sandboxPay(orderId);
    const state = () => snapshot(...LEDGER, "SELECT id, status FROM share_subscriptions", "SELECT id, sold_shares, reserved_shares FROM rounds", "SELECT id, status FROM orders");
    const before = await state();

    const fault = await breakStatement("transfers", "INSERT", `NEW.id = 'order:${orderId}:escrow'`);
    expect((await deliver(notification)).status).toBeGreaterThanOrEqual(500);
    expect(await state()).toEqual(before);

    await fault.heal(); // WeChat's redeliveries never arrive: the job asks WeChat
    await age("orders", `id = '${orderId}'`, 6 * 60_000);
    expect(await settleOverduePayments(env)).toMatchObject({ paid: 1, failed: 0 });
    expect((await deliver(notification)).status).toBe(204);
    expect((await env.DB.prepare("SELECT status FROM share_subscriptions WHERE id = ?").bind(sub.id).first<{ status: string }>())!.status).toBe("paid");
    expect(await roundRow(roundId)).toMatchObject({ sold_shares: 3, reserved_shares: 0 });
    expect(await balance(`crowdfund_escrow:${roundId}`)).toBe(300_000);
  });

  it("a round whose closing batch fails stays open with its escrow untouched, does not hold up other rounds, and the next run closes it once", async () => {
    const first = await openRound({ targetShares: 2, closesAt: new Date(Date.now() + 3_600_000).toISOString() });
    const second = await openRound({ targetShares: 2, closesAt: new Date(Date.now() + 7_200_000).toISOString() });
    const [a, b] = await seedMembers("close-fault", 2);
    await paySubscription((await subscribe(a, first, 2)).body.subscription.id);
    await paySubscription((await subscribe(b, second, 2)).body.subscription.id);
    const at = Date.now() + 86_400_000;

    const fault = await breakStatement("share_holdings", "INSERT", `NEW.round_id = '${first}'`);
    await every5min(at);
    expect(await roundRow(first)).toMatchObject({ state: "open" });
    expect(await balance(`crowdfund_escrow:${first}`)).toBe(200_000);
    expect(await count("SELECT count(*) AS n FROM share_holdings WHERE round_id = ?", first)).toBe(0);
    expect(await count("SELECT count(*) AS n FROM round_closings WHERE round_id = ?", first)).toBe(0);
    expect(await roundRow(second), "one round's failure does not stop the job").toMatchObject({ state: "succeeded" });

    await fault.heal();
    await every5min(at + 300_000);
    await every5min(at + 600_000);
    expect(await roundRow(first)).toMatchObject({ state: "succeeded" });
    expect(await balance(`crowdfund_escrow:${first}`)).toBe(0);
    expect(await balance("equity_capital")).toBe(400_000);
    expect(await count("SELECT count(*) AS n FROM share_holdings WHERE round_id = ?", first)).toBe(1);
    expect(await count("SELECT count(*) AS n FROM transfers WHERE id = ?", `round:${first}:equity`)).toBe(1);
  });

  it("a dividend declaration whose payment chunk fails keeps what was paid, pays nobody twice, and is finished by the resume job", async () => {
    const holders = 30; // two chunks of the declaration's payment
    await env.DB.batch(Array.from({ length: holders }, (_, i) =>
      env.DB.prepare("INSERT INTO share_holdings (member_id, round_id, shares, acquired_at) VALUES (?, 'r-div', 1, ?)").bind(`div-h${String(i).padStart(2, "0")}`, Date.now())));
    await executeTransfers(env.DB, [{ id: "order:div-fault:revenue", debitAccountId: "wechat_clearing", creditAccountId: "revenue_course", amountFen: 3_000, code: "course_sale", reference: "order:div-fault" }]);
    const token = await adminToken();
    expect((await api("/api/admin/dividend-pool/allocations", { token, body: { amountFen: 3_000, reason: "年度分红" } })).status).toBe(201);

    const fault = await breakStatement("transfers", "INSERT", "NEW.id LIKE 'dividend:%:div-h27'");
    const declared = await api("/api/admin/dividends", { token, body: { period: "2026", amountFen: 3_000, roundId: "r-div" } });
    expect(declared.status).toBeGreaterThanOrEqual(500);
    const paid = await count("SELECT count(*) AS n FROM transfers WHERE id LIKE 'dividend:div_%'");
    expect(paid, "the first chunk stands; the failed chunk wrote nothing").toBe(25);
    expect(await count("SELECT count(*) AS n FROM dividend_lines WHERE paid_at IS NOT NULL")).toBe(25);
    expect(await count("SELECT count(*) AS n FROM dividend_declarations WHERE status = 'paying'")).toBe(1);

    await fault.heal();
    await every5min(Date.now());
    expect(await count("SELECT count(*) AS n FROM dividend_declarations WHERE status = 'paid'")).toBe(1);
    expect((await api("/api/admin/dividends", { token, body: { period: "2026", amountFen: 3_000, roundId: "r-div" } })).body).toMatchObject({ status: "paid" });
    expect(await count("SELECT count(*) AS n FROM transfers WHERE id LIKE 'dividend:div_%'")).toBe(holders);
    expect(await balance("dividends_payable:div-h27")).toBe(100);
    expect(await balance("dividend_pool")).toBe(0);
  });
});
