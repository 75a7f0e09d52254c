import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { ScaleFacts } from "../../scripts/scale-seed-sql.mjs";
import type { StatementRun } from "../../worker/bench/usage";
import { callHot, hotRoutes, loadScaleData } from "./support";

/** Tables that grow with the community's history: a hot query must reach them through an index, never a scan. */
const LARGE = [
  "members", "referral_bindings", "orders", "refunds", "entitlements", "lesson_progress", "transfers", "accounts", "open_pending_transfers",
  "commissions", "commission_movements", "member_spend", "withdrawals", "withdrawal_days", "lot_bids", "lot_deposits", "audit_log",
  "share_subscriptions", "dividend_lines",
];

/** Table names by the alias a query gives them (EXPLAIN QUERY PLAN names the alias), drizzle's quoting included. */
function aliases(sql: string): Map<string, string> {
  const map = new Map<string, string>();
  const re = /\b(?:from|join)\s+["`]?(\w+)["`]?(?:\s+(?:as\s+)?["`]?(\w+)["`]?)?/gi;
  for (const m of sql.matchAll(re)) {
    map.set(m[1], m[1]);
    const alias = m[2];
    if (alias && !/^(where|on|join|left|inner|cross|order|group|limit|using|indexed|natural|union|set|values|select)$/i.test(alias)) map.set(alias, m[1]);
  }
  return map;
}

/** The full scans of large tables in a statement's plan (its parameters bound, as the route ran it). */
export async function largeScans(s: StatementRun): Promise<string[]> {
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).bind(...s.params).all<{ detail: string }>();
  const names = aliases(s.sql);
  return plan.results
    .map((r) => r.detail)
    .filter((detail) => {
      const m = /^SCAN (\w+)/.exec(detail);
      if (!m) return false;
      const table = names.get(m[1]) ?? m[1];
      return LARGE.includes(table);
    });
}

let facts: ScaleFacts;
beforeAll(async () => {
  facts = await loadScaleData();
}, 120_000);

describe("query plans of the hot routes on the scale data", () => {
  it("never scans a large table: every query of every hot route goes through an index", async () => {
    const found: string[] = [];
    let queries = 0;
    for (const route of hotRoutes(facts, 10)) {
      const r = await callHot(facts, route);
      expect(r.status, `${route.name}: ${r.body.slice(0, 200)}`).toBeLessThan(300);
      for (const s of r.usage.statements) {
        if (/^\s*(insert|update|delete)\b/i.test(s.sql) && !/\bselect\b/i.test(s.sql)) continue;
        queries++;
        for (const scan of await largeScans(s)) found.push(`${route.name}: ${scan}\n    ${s.sql.replace(/\s+/g, " ").slice(0, 400)}`);
      }
    }
    expect(queries).toBeGreaterThan(20);
    expect(found, found.join("\n")).toEqual([]);
  }, 120_000);

  it("catches a scan when there is one", async () => {
    const scans = await largeScans({ sql: "SELECT id FROM orders WHERE description = ?", params: ["x"] });
    expect(scans).toEqual(["SCAN orders"]);
  });
});
