import { env } from "cloudflare:workers";
import { afterEach } from "vitest";
import { expectLedgerInvariants } from "../support/ledger-invariants";

/**
 * Faults between the steps of a money operation, for the suites of tests/faults:
 * - `breakStatement` makes one statement of a batch fail (a trigger that aborts, as a CHECK would), so D1 rolls the
 *   whole batch back; `heal` removes it. Triggers are schema the tests add to their own isolated database only.
 * - `wechatFault` arms the WeChat sandbox to misbehave on the next call of a path: an outage, a lost answer, a
 *   timeout or an unknown error code; the product's real client meets it.
 */
let triggers = 0;
export async function breakStatement(table: string, on: "INSERT" | "UPDATE", when = "1"): Promise<{ heal: () => Promise<void> }> {
  const name = `injected_fault_${++triggers}`;
  await env.DB.prepare(`CREATE TRIGGER ${name} BEFORE ${on} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'injected fault'); END`).run();
  return { heal: async () => void (await env.DB.prepare(`DROP TRIGGER IF EXISTS ${name}`).run()) };
}

export type WechatFault = { method?: "GET" | "POST"; path: string; kind: "http-500" | "lose-answer" | "timeout" | `error:${string}`; times?: number; delayMs?: number };
export async function wechatFault(fault: WechatFault): Promise<void> {
  const res = await fetch("https://api.mch.weixin.qq.com/sandbox/faults", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(fault) });
  if (!res.ok) throw new Error(`arming a sandbox fault failed: ${res.status} ${await res.text()}`);
}

/** The worker's environment with WeChat Pay calls abandoned after `ms` (a sandbox "timeout" fault answers later). */
export const impatient = (ms = 300): Env => ({ ...env, WECHATPAY_TIMEOUT_MS: String(ms) }) as Env;

/** Rows, in a form to compare before and after a failed step: nothing half-written means nothing changed. */
export async function snapshot(...queries: string[]): Promise<unknown[][]> {
  const results = await env.DB.batch(queries.map((q) => env.DB.prepare(q)));
  return results.map((r) => r.results);
}
export const LEDGER = ["SELECT id, amount, pending_id FROM transfers ORDER BY id", "SELECT id, debits_posted, credits_posted, debits_pending, credits_pending FROM accounts ORDER BY id"];

/** Ages rows past a job's grace period (the jobs act on what has been quiet for a while). */
export const age = (table: string, where: string, ms: number, column = "created_at") =>
  env.DB.prepare(`UPDATE ${table} SET ${column} = ${column} - ? WHERE ${where}`).bind(ms).run();

export function checkLedgerAfterEach(): void {
  afterEach(async () => {
    await fetch("https://api.mch.weixin.qq.com/sandbox/faults", { method: "DELETE" });
    await expectLedgerInvariants(env.DB);
  });
}
