import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { scaleSeedSteps, type ScaleFacts } from "../../scripts/scale-seed-sql.mjs";
import { createApp } from "../../worker/app";
import { countingD1, type StatementRun, type Usage } from "../../worker/bench/usage";
import { issueToken } from "../../worker/http/auth";
import { BASE } from "../support/api";

/** The scale generator at 1/100: 1,000 members, 500 orders, 10,000 transfers — the same SQL as `npm run scale:seed`. */
export const FACTOR = 0.01;

/** Fills this test file's D1 with the scaled-down community (once per file: storage is isolated per file). */
export async function loadScaleData(now = Date.now()): Promise<ScaleFacts> {
  const { steps, facts } = scaleSeedSteps(FACTOR, now);
  for (const step of steps) for (const sql of step.sql) await env.DB.prepare(sql).run();
  return facts;
}

export const tokenFor = (memberId: string) => issueToken(env, { memberId });

const app = createApp();

export type Metered = { status: number; body: string; usage: Usage & { statements: StatementRun[] } };

/**
 * One request through the worker with its D1 behind the bench's meter (worker/bench/usage.ts), the same count
 * `npm run bench` answers in X-D1-* headers: round trips, `meta.rows_read`, and every statement with its parameters.
 * Work the request leaves to waitUntil is awaited and counted too.
 */
export async function metered(path: string, o: { token?: string; method?: string; json?: unknown } = {}): Promise<Metered> {
  const usage = { roundTrips: 0, rowsRead: 0, rowsWritten: 0, statements: [] as StatementRun[] };
  const headers = new Headers();
  if (o.token) headers.set("authorization", `Bearer ${o.token}`);
  if (o.json !== undefined) headers.set("content-type", "application/json");
  const request = new Request(new URL(path, BASE), { method: o.method ?? (o.json === undefined ? "GET" : "POST"), headers, body: o.json === undefined ? undefined : JSON.stringify(o.json) });
  const ctx = createExecutionContext();
  const res = await app.fetch(request, { ...env, DB: countingD1(env.DB, usage) }, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { status: res.status, body, usage };
}

export type HotRoute = { name: string; path: string; method?: string; json?: unknown; as: "member" | "admin" };

/** The routes people actually hit, called as the member with the longest history (and an admin for the ledger). */
export function hotRoutes(f: ScaleFacts, pageSize: number): HotRoute[] {
  const account = encodeURIComponent(f.memberAccountId);
  return [
    { name: "course detail", path: `/api/courses/${f.courseId}`, as: "member" },
    { name: "course list", path: `/api/courses?limit=${pageSize}`, as: "member" },
    { name: "lesson media link", path: `/api/lessons/${f.lessonId}/media`, as: "member" },
    { name: "my courses", path: `/api/me/courses?limit=${pageSize}`, as: "member" },
    { name: "order list", path: `/api/orders?limit=${pageSize}`, as: "member" },
    { name: "order creation", path: "/api/orders", method: "POST", json: { courseId: f.unboughtCourseId }, as: "member" },
    { name: "earnings", path: "/api/partner/earnings", as: "member" },
    { name: "daily earnings", path: "/api/partner/earnings/daily?days=30", as: "member" },
    { name: "commission records", path: `/api/partner/commissions?limit=${pageSize}`, as: "member" },
    { name: "team", path: `/api/partner/team?level=1&limit=${pageSize}`, as: "member" },
    { name: "team level 2", path: `/api/partner/team?level=2&limit=${pageSize}`, as: "member" },
    { name: "withdrawals list", path: `/api/partner/withdrawals?limit=${pageSize}`, as: "member" },
    { name: "withdrawal request", path: "/api/partner/withdrawals", method: "POST", json: { amountFen: 1000 }, as: "member" },
    { name: "withdrawal overview", path: "/api/partner/withdrawal-overview", as: "member" },
    { name: "round list", path: "/api/rounds", as: "member" },
    { name: "round detail", path: `/api/rounds/${f.roundId}`, as: "member" },
    { name: "subscription", path: `/api/rounds/${f.roundId}/subscriptions`, method: "POST", json: { shares: 1, disclosureVersion: 1 }, as: "member" },
    { name: "my shares", path: "/api/me/shares", as: "member" },
    { name: "lot list", path: `/api/lots?limit=${pageSize}`, as: "member" },
    { name: "lot detail", path: `/api/lots/${f.lotId}`, as: "member" },
    { name: "my lots", path: `/api/me/lots?limit=${pageSize}`, as: "member" },
    { name: "me", path: "/api/me", as: "member" },
    { name: "invite", path: "/api/me/invite", as: "member" },
    { name: "balance", path: `/api/admin/ledger/accounts/${account}`, as: "admin" },
    { name: "balance history", path: `/api/admin/ledger/accounts/${account}/transfers?limit=${pageSize}`, as: "admin" },
  ];
}

export async function callHot(f: ScaleFacts, route: HotRoute): Promise<Metered> {
  const token = await tokenFor(route.as === "admin" ? f.adminMemberId : f.memberId);
  return metered(route.path, { token, method: route.method, json: route.json });
}
