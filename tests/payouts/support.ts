import { env, exports } from "cloudflare:workers";
import { afterEach } from "vitest";
import type { Tier } from "../../worker/http/auth";
import { accountId } from "../../worker/ledger/accounts";
import { executeTransfers } from "../../worker/ledger/service";
import { call, mintMember, parsed } from "../support/api";
import { expectLedgerInvariants } from "../support/ledger-invariants";

/** A member with a token (the shared mintMember); partners (tier promoter and up) may withdraw, admins decide. */
export async function seedPerson(id: string, opts: { tier?: Tier; admin?: boolean } = {}): Promise<string> {
  return (await mintMember({ id, tier: opts.tier ?? "channel_partner", roles: opts.admin ? ["admin"] : [] })).token;
}

let earnings = 0;
/** Commissions are another module's work: tests simulate earnings by crediting available commission directly. */
export async function earn(memberId: string, amountFen: number): Promise<void> {
  await executeTransfers(env.DB, [{
    id: `test-earning:${memberId}:${++earnings}`, debitAccountId: accountId("commission_expense"), creditAccountId: accountId("commission_available", memberId),
    amountFen, code: "commission_available", reference: `test:${memberId}`,
  }]);
}

let dividends = 0;
/** Declaring dividends is crowdfunding's work: tests allocate profit to the pool and credit the holder's dividends payable directly. */
export async function receiveDividend(memberId: string, amountFen: number): Promise<void> {
  const ref = `test-dividend:${memberId}:${++dividends}`;
  await executeTransfers(env.DB, [
    { id: `${ref}:allocate`, debitAccountId: accountId("revenue_course"), creditAccountId: accountId("dividend_pool"), amountFen, code: "dividend_allocation", reference: ref },
    { id: `${ref}:credit`, debitAccountId: accountId("dividend_pool"), creditAccountId: accountId("dividends_payable", memberId), amountFen, code: "dividend", reference: ref },
  ]);
}

export async function dividendsAvailableFen(memberId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT credits_posted - debits_posted - debits_pending AS a FROM accounts WHERE id = ?").bind(accountId("dividends_payable", memberId)).first<{ a: number }>();
  return row?.a ?? 0;
}

export async function setRule(name: string, value: number): Promise<void> {
  await env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .bind(`payouts.${name}`, JSON.stringify(value), Date.now()).run();
}

export async function availableFen(memberId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT credits_posted - debits_posted - debits_pending AS a FROM accounts WHERE id = ?").bind(accountId("commission_available", memberId)).first<{ a: number }>();
  return row?.a ?? 0;
}

export async function balanceOf(id: string) {
  return env.DB.prepare("SELECT debits_posted, credits_posted, debits_pending, credits_pending FROM accounts WHERE id = ?").bind(id).first<Record<string, number>>();
}

type Init = { method?: string; json?: unknown; headers?: Record<string, string> };
/** The shared `call` with its body parsed. */
export function api<T = any>(path: string, token: string | undefined, init: Init = {}): Promise<{ status: number; body: T }> {
  return parsed<T>(call(path, { token, ...init }));
}

export const withdraw = (token: string, amountFen: number, headers: Record<string, string> = {}) => api("/api/partner/withdrawals", token, { json: { amountFen }, headers });
export const approve = (token: string, id: string) => api(`/api/admin/withdrawals/${id}/approve`, token, { method: "POST" });
export const reject = (token: string, id: string, reason: string) => api(`/api/admin/withdrawals/${id}/reject`, token, { json: { reason } });

export type Notification = { url: string; headers: Record<string, string>; body: string };

/** Drives the WeChat sandbox's control endpoints (reached through the pool's outbound routing). */
export async function sandbox<T = Notification>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`https://api.mch.weixin.qq.com${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path} ${res.status}: ${await res.text()}`);
  return res.json() as Promise<T>;
}

/** WeChat finished the transfer (the member confirmed: SUCCESS; or FAIL / CANCELLED); the test delivers the notification. */
export const finishTransfer = (outBillNo: string, state: "SUCCESS" | "FAIL" | "CANCELLED" = "SUCCESS") =>
  sandbox("/sandbox/merchant-transfer", { out_bill_no: outBillNo, state, deliver: false });

export function deliver(n: Notification, change: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return exports.default.fetch(n.url, { method: "POST", headers: { ...n.headers, ...change.headers }, body: change.body ?? n.body });
}

export async function sandboxBill(outBillNo: string): Promise<Record<string, any> | null> {
  const res = await fetch(`https://api.mch.weixin.qq.com/sandbox/transfer-bills/${outBillNo}`);
  return res.ok ? res.json() : null;
}

export async function withdrawalRow(id: string) {
  return env.DB.prepare("SELECT * FROM withdrawals WHERE id = ?").bind(id).first<Record<string, any>>();
}

export function checkLedgerAfterEach(): void {
  afterEach(async () => {
    await expectLedgerInvariants(env.DB);
  });
}
