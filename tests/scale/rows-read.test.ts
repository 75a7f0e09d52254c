import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { ScaleFacts } from "../../scripts/scale-seed-sql.mjs";
import { callHot, hotRoutes, loadScaleData, metered, tokenFor, type HotRoute } from "./support";

/**
 * docs/architecture.md §7: rows read per request bounded by page size, not by history. The member with the longest history
 * (hundreds of orders, commissions, team members, withdrawals, transfers, bids on the scaled-down data) calls every
 * hot route with a small page; what D1 reports as `meta.rows_read` must stay within a budget per page item that is
 * far below that history — and a deep page (the third) must cost what the first costs.
 */
const PAGE = 5;
/** Rows one item of a page may cost (the row, its joins and per-row subqueries), and a fixed allowance per request. */
const PER_ITEM: Record<string, number> = { "course list": 14, "my courses": 16 };
const FIXED = 25;
const budget = (route: HotRoute) => (PER_ITEM[route.name] ?? 3) * (PAGE + 1) + FIXED;

/**
 * Routes that sum a time window rather than list a page: bounded by what the window holds (daily earnings: the
 * commissions of the last 30 days, one index range), never by the history before it.
 */
const WINDOW: Record<string, string> = {
  "daily earnings": "SELECT count(*) AS n FROM commissions WHERE earner_id = ?1 AND created_at >= ?2",
};
const WINDOW_MS = 31 * 86_400_000;

/**
 * Money operations that recount something the law bounds: a subscription recounts the distinct shareholders (at most
 * 200, worker/crowdfunding/holders.ts) reading each live subscription and holding once — never the expired history.
 */
const CAPPED: Record<string, string> = {
  subscription: "SELECT (SELECT count(*) FROM share_subscriptions WHERE status IN ('reserved', 'paid')) + (SELECT count(*) FROM share_holdings) AS n",
};

/** How much history the hero has behind a list: the test only means something when it is far above the budget. */
const HISTORY: Record<string, string> = {
  "order list": "SELECT count(*) AS n FROM orders WHERE member_id = ?1",
  "commission records": "SELECT count(*) AS n FROM commissions WHERE earner_id = ?1",
  team: "SELECT count(*) AS n FROM members WHERE referrer_id = ?1",
  "withdrawals list": "SELECT count(*) AS n FROM withdrawals WHERE member_id = ?1",
  "balance history": "SELECT count(*) AS n FROM transfers WHERE credit_account_id = 'commission_available:' || ?1 OR debit_account_id = 'commission_available:' || ?1",
};

let facts: ScaleFacts;
beforeAll(async () => {
  facts = await loadScaleData();
}, 120_000);

describe("rows read by the hot routes of the member with the longest history", () => {
  it("has a history far longer than any page", async () => {
    for (const [name, sql] of Object.entries(HISTORY)) {
      const row = await env.DB.prepare(sql).bind(facts.memberId).first<{ n: number }>();
      expect(row!.n, name).toBeGreaterThan(2 * budget({ name, path: "", as: "member" }));
    }
  });

  it("reads rows in proportion to the page, not to the history, on every hot route", async () => {
    const over: string[] = [];
    for (const route of hotRoutes(facts, PAGE)) {
      const r = await callHot(facts, route);
      expect(r.status, `${route.name}: ${r.body.slice(0, 200)}`).toBeLessThan(300);
      let allowed = budget(route);
      if (CAPPED[route.name]) allowed += 2 * (await env.DB.prepare(CAPPED[route.name]).first<{ n: number }>())!.n;
      if (WINDOW[route.name]) {
        const held = await env.DB.prepare(WINDOW[route.name]).bind(facts.memberId, Date.now() - WINDOW_MS).first<{ n: number }>();
        allowed = 2 * held!.n + FIXED; // each row of the range: its index entry and its row
      }
      if (r.usage.rowsRead > allowed) over.push(`${route.name}: ${r.usage.rowsRead} rows read > ${allowed}`);
    }
    expect(over, over.join("\n")).toEqual([]);
  });

  it("reads no more on the third page of a list than on the first", async () => {
    const lists = hotRoutes(facts, PAGE).filter((r) => r.path.includes("limit=") && !r.method);
    const over: string[] = [];
    for (const route of lists) {
      const token = await tokenFor(route.as === "admin" ? facts.adminMemberId : facts.memberId);
      let path = route.path;
      for (let page = 1; page <= 3; page++) {
        const r = await metered(path, { token });
        expect(r.status, `${route.name} page ${page}: ${r.body.slice(0, 200)}`).toBe(200);
        if (r.usage.rowsRead > budget(route)) over.push(`${route.name} page ${page}: ${r.usage.rowsRead} rows read > ${budget(route)}`);
        const next = (JSON.parse(r.body) as { nextCursor: string | null }).nextCursor;
        if (!next) break;
        path = `${route.path}&cursor=${encodeURIComponent(next)}`;
      }
    }
    expect(over, over.join("\n")).toEqual([]);
  });
});
