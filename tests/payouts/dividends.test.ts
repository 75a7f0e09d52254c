import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { requestPostings } from "../../worker/payouts/ledger-postings";
import { fetchWorker, loginSession, seedAdmin } from "../admin/support";
import {
  api, approve, availableFen, balanceOf, checkLedgerAfterEach, deliver, dividendsAvailableFen, earn, finishTransfer, receiveDividend, reject,
  seedPerson, setRule, withdraw, withdrawalRow,
} from "./support";

checkLedgerAfterEach();

const legsOf = async (id: string) =>
  (await env.DB.prepare("SELECT id, debit_account_id AS debit, credit_account_id AS credit, amount FROM transfers WHERE reference = ? ORDER BY id").bind(`withdrawal:${id}`).all()).results;

describe("withdrawing declared dividends", () => {
  it("a shareholder with only dividends withdraws them, and WeChat's SUCCESS pays them out", async () => {
    const admin = await seedPerson("a-div-only", { admin: true });
    const s = await seedPerson("s-div-only", { tier: "shareholder" });
    await receiveDividend("s-div-only", 3_000);
    expect((await api("/api/partner/withdrawal-overview", s)).body).toMatchObject({ availableFen: 3_000, commissionAvailableFen: 0, dividendsAvailableFen: 3_000 });

    const w = await withdraw(s, 2_000);
    expect(w.status).toBe(201);
    expect(w.body).toMatchObject({ amountFen: 2_000, feeFen: 20, netFen: 1_980, status: "pending" });
    expect(await withdrawalRow(w.body.id)).toMatchObject({ dividends_fen: 2_000 });
    expect(await legsOf(w.body.id)).toEqual([
      { id: `withdrawal:${w.body.id}:dividends:fee`, debit: "dividends_payable:s-div-only", credit: "fees", amount: 20 },
      { id: `withdrawal:${w.body.id}:dividends:net`, debit: "dividends_payable:s-div-only", credit: "payout_in_flight:s-div-only", amount: 1_980 },
    ]);
    expect(await dividendsAvailableFen("s-div-only")).toBe(1_000);
    expect((await withdraw(s, 1_001)).body.type).toBe("/problems/insufficient-balance");

    expect((await approve(admin, w.body.id)).body).toMatchObject({ status: "wait_user_confirm" });
    expect((await deliver(await finishTransfer(w.body.id, "SUCCESS"))).status).toBe(204);
    expect(await withdrawalRow(w.body.id)).toMatchObject({ status: "paid" });
    expect(await balanceOf("dividends_payable:s-div-only")).toMatchObject({ credits_posted: 3_000, debits_posted: 2_000, debits_pending: 0 });
    expect(await balanceOf("payout_in_flight:s-div-only")).toMatchObject({ credits_posted: 1_980, debits_posted: 1_980, credits_pending: 0 });
  });

  it("a mixed request takes the available commission first and the dividends for the rest", async () => {
    const p = await seedPerson("s-mixed", { tier: "shareholder" });
    await earn("s-mixed", 1_000);
    await receiveDividend("s-mixed", 5_000);
    expect((await api("/api/partner/withdrawal-overview", p)).body).toMatchObject({ availableFen: 6_000, commissionAvailableFen: 1_000, dividendsAvailableFen: 5_000 });
    const w = (await withdraw(p, 3_000)).body;
    expect(w).toMatchObject({ amountFen: 3_000, feeFen: 30, netFen: 2_970 });
    expect(await withdrawalRow(w.id)).toMatchObject({ dividends_fen: 2_000 });
    expect(await legsOf(w.id)).toEqual([
      { id: `withdrawal:${w.id}:dividends:net`, debit: "dividends_payable:s-mixed", credit: "payout_in_flight:s-mixed", amount: 2_000 },
      { id: `withdrawal:${w.id}:fee`, debit: "commission_available:s-mixed", credit: "fees", amount: 30 },
      { id: `withdrawal:${w.id}:net`, debit: "commission_available:s-mixed", credit: "payout_in_flight:s-mixed", amount: 970 },
    ]);
    expect(await availableFen("s-mixed")).toBe(0);
    expect(await dividendsAvailableFen("s-mixed")).toBe(3_000);

    await seedAdmin("dee");
    const html = await (await fetchWorker(`/admin/payouts/${w.id}`, { headers: { cookie: (await loginSession("dee")).cookie } })).text();
    expect(html).toMatch(/data-testid="sources">佣金 ¥10\.00 · 分红 ¥20\.00</);
    expect(html).toContain("可提现分红");
  });

  it("the fee is drawn in the same order: what the commission cannot cover comes from the dividends", () => {
    const legs = requestPostings({ id: "W1", memberId: "m", netFen: 1_980, feeFen: 20, dividendsFen: 1_990 });
    expect(legs.map((l) => [l.id, l.debitAccountId, l.amountFen])).toEqual([
      ["withdrawal:W1:fee", "commission_available:m", 10],
      ["withdrawal:W1:dividends:net", "dividends_payable:m", 1_980],
      ["withdrawal:W1:dividends:fee", "dividends_payable:m", 10],
    ]);
  });

  it("a rejected request voids both legs: commission and dividends are available again", async () => {
    const admin = await seedPerson("a-div-rej", { admin: true });
    const p = await seedPerson("s-div-rej", { tier: "shareholder" });
    await earn("s-div-rej", 500);
    await receiveDividend("s-div-rej", 2_000);
    const w = (await withdraw(p, 2_000)).body;
    expect(await availableFen("s-div-rej")).toBe(0);
    expect(await dividendsAvailableFen("s-div-rej")).toBe(500);
    expect((await reject(admin, w.id, "信息不完整")).body).toMatchObject({ status: "rejected" });
    expect(await availableFen("s-div-rej")).toBe(500);
    expect(await dividendsAvailableFen("s-div-rej")).toBe(2_000);
    const voids = (await legsOf(w.id)).filter((t) => String(t.id).endsWith(":void")).map((t) => t.id);
    expect(voids.sort()).toEqual([`withdrawal:${w.id}:dividends:net:void`, `withdrawal:${w.id}:fee:void`, `withdrawal:${w.id}:net:void`]);
  });

  it("a failed transfer voids both legs once", async () => {
    const admin = await seedPerson("a-div-fail", { admin: true });
    const p = await seedPerson("s-div-fail", { tier: "shareholder" });
    await earn("s-div-fail", 700);
    await receiveDividend("s-div-fail", 1_300);
    const w = (await withdraw(p, 2_000)).body;
    expect((await approve(admin, w.id)).status).toBe(200);
    const fail = await finishTransfer(w.id, "FAIL");
    expect((await deliver(fail)).status).toBe(204);
    expect((await deliver(fail)).status).toBe(204);
    expect(await withdrawalRow(w.id)).toMatchObject({ status: "failed" });
    expect(await availableFen("s-div-fail")).toBe(700);
    expect(await dividendsAvailableFen("s-div-fail")).toBe(1_300);
    expect(await balanceOf("payout_in_flight:s-div-fail")).toMatchObject({ credits_pending: 0, credits_posted: 0 });
  });

  it("50 concurrent requests on commission and dividends that together cover 10: exactly 10 succeed, neither overdrawn", async () => {
    const p = await seedPerson("s-div-race", { tier: "shareholder" });
    await setRule("dailyCount", 100);
    await earn("s-div-race", 4_500);
    await receiveDividend("s-div-race", 5_500);
    const results = await Promise.all(Array.from({ length: 50 }, () => withdraw(p, 1_000)));
    await setRule("dailyCount", 3);
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.type === "/problems/insufficient-balance")).toBe(true);
    expect(await availableFen("s-div-race")).toBe(0);
    expect(await dividendsAvailableFen("s-div-race")).toBe(0);
    const drawn = await env.DB.prepare("SELECT sum(amount_fen) AS total, sum(dividends_fen) AS dividends FROM withdrawals WHERE member_id = 's-div-race'").first();
    expect(drawn).toEqual({ total: 10_000, dividends: 5_500 });
  }, 20_000); // 50 requests, each retrying from fresh balances: seconds on a loaded 2-core machine, not a rule
});
