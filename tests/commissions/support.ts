import { env } from "cloudflare:workers";
import { afterEach } from "vitest";
import type { Tier } from "../../worker/http/auth";
import { mintMember } from "../support/api";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { expectShopPostings } from "../orders/support";

/** Mints members and binds each to the next one up: `chain([buyer, l1, l2, l3])`, each `[id, tier]`. */
export async function chain(people: [string, Tier][]): Promise<string[]> {
  const tokens: string[] = [];
  for (const [id, tier] of people) tokens.push((await mintMember({ id, tier })).token);
  for (let i = 0; i + 1 < people.length; i++) {
    await env.DB.prepare("UPDATE members SET referrer_id = ? WHERE id = ?").bind(people[i + 1][0], people[i][0]).run();
  }
  return tokens;
}

export async function setSetting(key: string, value: unknown): Promise<void> {
  await env.DB.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    .bind(key, JSON.stringify(value), Date.now())
    .run();
}

export type CommissionRow = {
  id: string; earner_id: string; level: number; rate_bps: number; amount_fen: number; status: string;
  cancelled_fen: number; settled_fen: number; clawed_back_fen: number; available_at: number;
};

export async function commissionsOf(orderId: string): Promise<CommissionRow[]> {
  const { results } = await env.DB.prepare("SELECT * FROM commissions WHERE order_id = ? ORDER BY level").bind(orderId).all<CommissionRow>();
  return results;
}

/** A member's commission accounts: frozen, available (less what is reserved), debt. */
export async function accountsOf(memberId: string) {
  const { results } = await env.DB.prepare("SELECT id, debits_posted AS d, credits_posted AS c, debits_pending AS dp FROM accounts WHERE owner = ?")
    .bind(memberId)
    .all<{ id: string; d: number; c: number; dp: number }>();
  const get = (code: string) => results.find((r) => r.id === `${code}:${memberId}`);
  const credit = (code: string) => (get(code) ? get(code)!.c - get(code)!.d : 0);
  const debt = get("commission_debt");
  return { frozen: credit("commission_frozen"), available: credit("commission_available"), debt: debt ? debt.d - debt.c : 0 };
}

/** Ledger invariants and the shop's postings after every scenario. */
export function checkLedgerAfterEach(): void {
  afterEach(async () => {
    await expectLedgerInvariants(env.DB);
    await expectShopPostings();
  });
}

import { call, mintMember as mint } from "../support/api";
import { deliver, sandbox } from "../orders/support";
import { createLogger } from "../../worker/http/log";
import { settleDueCommissions } from "../../worker/commissions/settlement";

const DAY = 86_400_000;

/** Refunds `amountFen` (all that is left when omitted) of an order through the admin API and WeChat's notification. */
export async function refundOrder(orderId: string, amountFen?: number): Promise<void> {
  const admin = (await mint({ id: "commission-refunds-admin", roles: ["admin"] })).token;
  const res = await call(`/api/admin/orders/${orderId}/refund`, { token: admin, method: "POST", json: { amountFen, reason: "测试退款" } });
  if (res.status !== 202) throw new Error(`refund ${res.status}: ${await res.text()}`);
  const { refund } = await res.json<{ refund: { id: string } }>();
  const n = await sandbox(`/sandbox/refund/${refund.id}`, { status: "SUCCESS", deliver: false });
  const settled = await deliver(n);
  if (settled.status !== 204) throw new Error(`refund notify ${settled.status}: ${await settled.text()}`);
}

/** Runs the settlement job as if `days` days had passed. */
export const settleAfter = (days: number, opts?: { batchSize?: number; batches?: number }) =>
  settleDueCommissions(env.DB, new Date(Date.now() + days * DAY), createLogger({ test: "settlement" }), opts);
