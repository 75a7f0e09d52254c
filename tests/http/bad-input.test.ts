import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, login } from "../support/api";
import { expectLedgerInvariants } from "../support/ledger-invariants";

type Operation = { method: string; path: string; hasBody: boolean };

async function operations(): Promise<Operation[]> {
  const res = await call("/openapi.json");
  const doc = (await res.json()) as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ method: method.toUpperCase(), path, hasBody: op.requestBody !== undefined })),
  );
}

/** Row counts of every table: a rejected request must leave all of them as they were. */
async function rowCounts() {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'").all<{ name: string }>();
  const counts: Record<string, number> = {};
  for (const { name } of results) {
    const row = await env.DB.prepare(`SELECT count(*) AS n FROM "${name}"`).first<{ n: number }>();
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

const GARBAGE_BODIES: Array<{ label: string; body: string; type: string }> = [
  { label: "malformed JSON", body: "{", type: "application/json" },
  { label: "a JSON array", body: "[1,2]", type: "application/json" },
  { label: "wrong field types", body: JSON.stringify({ code: 1, inviteCode: [], amountFen: "10", courseId: {}, positionSec: -1, reason: 7, role: null }), type: "application/json" },
  { label: "floats and huge numbers for money", body: JSON.stringify({ amountFen: 1.5, priceFen: 1e300, shares: -3 }), type: "application/json" },
  { label: "a form body", body: "a=1&b=2", type: "application/x-www-form-urlencoded" },
];

describe("bad input anywhere in the API", () => {
  it("gets a 4xx problem, never a 500, and writes nothing — for every documented route, caller and body", async () => {
    const member = await login("bad-input-member");
    const adminLogin = await login("bad-input-admin");
    await env.DB.prepare(`UPDATE members SET roles = '["admin"]' WHERE id = ?`).bind(adminLogin.member.id).run();
    const admin = await login("bad-input-admin");
    const before = await rowCounts();

    const failures: string[] = [];
    let requests = 0;
    for (const op of await operations()) {
      const path = op.path.replace(/\{[^}]+\}/g, "no-such-id") + (op.method === "GET" ? "?limit=abc&cursor=%25%25" : "");
      for (const token of [undefined, member.token, admin.token]) {
        const bodies = op.method === "GET" ? [undefined] : GARBAGE_BODIES;
        for (const garbage of bodies) {
          const headers: Record<string, string> = {};
          if (token) headers.authorization = `Bearer ${token}`;
          if (garbage) headers["content-type"] = garbage.type;
          requests++;
          const res = await call(path, { method: op.method, headers, body: garbage?.body });
          const what = `${op.method} ${op.path} (${token === admin.token ? "admin" : token ? "member" : "anonymous"}${garbage ? `, ${garbage.label}` : ""}) → ${res.status}`;
          if (res.status >= 500) failures.push(what);
          else if (res.status >= 400 && !res.headers.get("content-type")?.includes("application/problem+json")) failures.push(`${what} without problem+json`);
          else if (res.status < 400 && op.method !== "GET") failures.push(`${what} accepted garbage`);
          await res.body?.cancel();
        }
      }
    }
    expect(requests).toBeGreaterThan(200);
    expect(failures).toEqual([]);
    expect(await rowCounts()).toEqual(before);
    await expectLedgerInvariants(env.DB);
    // Hundreds of requests, more with every route added: well past the default 5 s on a loaded machine.
  }, 60_000);
});
