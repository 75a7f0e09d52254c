// The standing authorization matrix: every route of /openapi.json, called as each caller, gets exactly the outcome
// its rule in worker/http/access-rules.ts declares; routes outside OpenAPI (console pages, /docs) have their own table.
import { env, exports } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { demoRound, seedStatements } from "../../schema/seed.mjs";
import { createApp } from "../../worker/app";
import { accessRules, CALLERS, pageAccessRules, type Caller, type OwnedKind, type Owner, type PageCaller } from "../../worker/http/access-rules";
import { loginSession, ORIGIN, seedAdmin, seedMember } from "../admin/support";
import { login } from "../support/api";
import { expectLedgerInvariants } from "../support/ledger-invariants";

const RULES_FILE = "worker/http/access-rules.ts";
const METHODS = ["get", "post", "put", "patch", "delete"] as const;
/** Any id the app does not hold: routes about objects answer it after authorization, as 404 or 422. */
const MISSING = "matrix-missing";

const doc = (await (await exports.default.fetch(`${ORIGIN}/openapi.json`)).json()) as { paths: Record<string, Partial<Record<string, unknown>>> };
const operations = Object.entries(doc.paths).flatMap(([path, ops]) => METHODS.filter((m) => ops[m]).map((m) => `${m.toUpperCase()} ${path}`));
const openApiKey = (method: string, path: string) => `${method} ${path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}")}`;
const pages = [...new Set(createApp().routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`))].filter(
  (key) => !operations.includes(openApiKey(...(key.split(" ") as [string, string]))),
);

type Credentials = { token?: string; console?: { cookie: string; csrf: string } };
const callers = {} as Record<Caller, Credentials>;
/** Makes one object of a kind for its owner and answers its id. Adding a kind is one line here (and its rule). */
const fixtures: Record<OwnedKind, (owner: Credentials) => Promise<string>> = {
  order: async (owner) => (await call("POST", "/api/orders", owner, { courseId: "course-kaishu-30" })).body.order.id,
  // The seed's demo round, offered to channel partners.
  round: async () => demoRound.id,
};
const owned = new Map<string, Promise<string>>();
/** The object of `kind` owned by `owner`, made on first use. */
function ownedId(kind: OwnedKind, owner: Owner) {
  const key = `${kind}:${owner}`;
  if (!owned.has(key)) owned.set(key, fixtures[kind](callers[owner]));
  return owned.get(key)!;
}

async function call(method: string, path: string, who: Credentials, body: unknown = method === "GET" || method === "DELETE" ? undefined : {}) {
  const headers: Record<string, string> = {};
  if (who.token) headers.authorization = `Bearer ${who.token}`;
  if (who.console) Object.assign(headers, { cookie: who.console.cookie, "x-csrf-token": who.console.csrf, origin: ORIGIN });
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await exports.default.fetch(`${ORIGIN}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), redirect: "manual" });
  const text = await res.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {}
  return { status: res.status, body: parsed, location: res.headers.get("location") };
}

/** What went wrong, or null when the response is the declared outcome. */
function mismatch(expected: string | number, got: { status: number; body: any; location: string | null }, ownedObject: boolean): string | null {
  const detail = typeof got.body === "object" && got.body ? `${got.body.type ?? ""} ${got.body.detail ?? ""}`.trim() : String(got.body).slice(0, 80);
  if (got.status === 404 && /^No route for/.test(got.body?.detail ?? "")) return `no such route (${detail})`;
  if (got.status >= 500) return `expected ${expected}, got ${got.status} ${detail}`;
  if (expected === "allowed") {
    const refused = got.status === 401 || got.status === 403 || (ownedObject && got.status === 404);
    const sentToLogin = got.status === 303 && got.location === "/admin/login";
    return refused || sentToLogin ? `expected allowed, got ${got.status} ${got.location ?? detail}` : null;
  }
  if (expected === "login") return got.status === 303 && got.location === "/admin/login" ? null : `expected a redirect to /admin/login, got ${got.status} ${detail}`;
  return got.status === expected ? null : `expected ${expected}, got ${got.status} ${got.location ?? detail}`;
}

beforeAll(async () => {
  await env.DB.batch(seedStatements().map((s) => env.DB.prepare(s)));
  await seedMember({ openid: "matrix-partner", tier: "channel_partner" });
  await seedMember({ openid: "matrix-other-partner", tier: "promoter" });
  await seedMember({ openid: "matrix-admin", roles: ["admin"] });
  await seedAdmin("matrix-console");
  callers.anonymous = {};
  callers.member = { token: (await login("matrix-member")).token };
  callers.otherMember = { token: (await login("matrix-other")).token };
  callers.partner = { token: (await login("matrix-partner")).token };
  callers.otherPartner = { token: (await login("matrix-other-partner")).token };
  callers.adminBearer = { token: (await login("matrix-admin")).token };
  callers.adminConsole = { console: await loginSession("matrix-console") };
});

// Admins called every write route too: whatever they got through must have kept the books balanced.
afterAll(() => expectLedgerInvariants(env.DB));

describe("the authorization matrix of /openapi.json", () => {
  it("has a declared rule for every route, and no rule for a route that is gone", () => {
    expect(operations.length).toBeGreaterThan(20);
    const undeclared = operations.filter((op) => !accessRules[op]).map((op) => `${op} has no access rule: add one to accessRules in ${RULES_FILE}`);
    const stale = Object.keys(accessRules).filter((op) => !operations.includes(op)).map((op) => `${op} is not in /openapi.json: remove its rule from ${RULES_FILE}`);
    expect([...undeclared, ...stale]).toEqual([]);
  });

  it.each(operations)("%s answers each caller as its rule declares", async (op) => {
    const rule = accessRules[op];
    expect(rule, `${op} has no access rule: add one to accessRules in ${RULES_FILE}`).toBeDefined();
    const [method, template] = op.split(" ");
    const objectId = rule.owned ? await ownedId(rule.owned.kind, rule.owned.owner) : MISSING;
    const path = template.replace(/\{([A-Za-z0-9_]+)\}/g, (_, name) => (name === "id" ? objectId : MISSING));
    const wrong: string[] = [];
    for (const caller of CALLERS) {
      const problem = mismatch(rule.who[caller], await call(method, path, callers[caller]), Boolean(rule.owned));
      if (problem) wrong.push(`${op} as ${caller}: ${problem}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("the routes outside /openapi.json (console pages, API reference)", () => {
  const pageCallers: Record<PageCaller, () => Credentials> = {
    anonymous: () => ({}),
    memberBearer: () => callers.member,
    adminConsole: () => callers.adminConsole,
  };

  it("has a declared rule for every one of them", () => {
    expect(pages.length).toBeGreaterThan(10);
    const undeclared = pages.filter((p) => !pageAccessRules[p]).map((p) => `${p} has no access rule: add one to pageAccessRules in ${RULES_FILE}`);
    const stale = Object.keys(pageAccessRules).filter((p) => !pages.includes(p)).map((p) => `${p} is not served: remove its rule from ${RULES_FILE}`);
    expect([...undeclared, ...stale]).toEqual([]);
  });

  // Logging out ends the console session the other pages use, so it goes last.
  const ordered = [...pages].sort((a, b) => Number(a === "POST /admin/logout") - Number(b === "POST /admin/logout"));
  it.each(ordered)("%s answers each caller as its rule declares", async (page) => {
    const rule = pageAccessRules[page];
    expect(rule, `${page} has no access rule: add one to pageAccessRules in ${RULES_FILE}`).toBeDefined();
    const [method, template] = page.split(" ");
    const path = template.replace(/:([A-Za-z0-9_]+)/g, MISSING);
    const wrong: string[] = [];
    for (const caller of Object.keys(pageCallers) as PageCaller[]) {
      const who = pageCallers[caller]();
      const got = method === "GET" ? await call(method, path, who) : await postForm(path, who);
      const problem = mismatch(rule[caller], got, false);
      if (problem) wrong.push(`${page} as ${caller}: ${problem}`);
    }
    expect(wrong).toEqual([]);
  });
});

/** A console form as the browser posts it: the session cookie, our Origin and the page's CSRF token in `_csrf`. */
async function postForm(path: string, who: Credentials) {
  const headers: Record<string, string> = { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN };
  if (who.token) headers.authorization = `Bearer ${who.token}`;
  if (who.console) headers.cookie = who.console.cookie;
  const res = await exports.default.fetch(`${ORIGIN}${path}`, { method: "POST", headers, body: new URLSearchParams({ _csrf: who.console?.csrf ?? "" }), redirect: "manual" });
  const text = await res.text();
  return { status: res.status, body: text, location: res.headers.get("location") };
}
