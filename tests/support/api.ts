import { env, exports } from "cloudflare:workers";
import { members } from "../../schema";
import { issueToken, type Role, type Tier } from "../../worker/http/auth";
import { createDb } from "../../worker/http/middleware";

export const BASE = "https://partners.test";

/** A fetch init, plus a bearer `token` and a `json` body (serialised, with content-type application/json unless given). */
export type CallOptions = Omit<RequestInit, "headers"> & { token?: string; json?: unknown; headers?: HeadersInit };

/** The one way tests call the real worker: its fetch handler, with the path on the test origin. */
export function call(path: string, o: CallOptions = {}): Promise<Response> {
  return exports.default.fetch(testRequest(path, o));
}

/** The request `call` sends: the path on the test origin, the bearer token, a JSON body. */
export function testRequest(path: string, o: CallOptions = {}): Request {
  const { token, json, headers: given, ...init } = o;
  const headers = new Headers(given);
  if (token) headers.set("authorization", `Bearer ${token}`);
  let body = init.body;
  if (json !== undefined) {
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
    body = JSON.stringify(json);
  }
  const method = init.method ?? (body !== undefined && body !== null ? "POST" : "GET");
  return new Request(new URL(path, BASE), { ...init, method, headers, body });
}

/** A response with its body read and parsed (JSON, or null when empty), for suites that assert on `body`. */
export async function parsed<T = any>(response: Response | Promise<Response>) {
  const res = await response;
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

let seq = 0;

/**
 * The one way tests mint a member token: the member is inserted directly (once per id) and a token issued
 * for it. Without an id, a fresh one is made.
 */
export async function mintMember(o: { id?: string; tier?: Tier; roles?: Role[] } = {}) {
  const id = o.id ?? `mem-${++seq}-${crypto.randomUUID().slice(0, 8)}`;
  const tier = o.tier ?? "member";
  const roles = o.roles ?? [];
  // The token proves identity only (tier and roles are read from D1), so what the caller may do is what is stored:
  // an existing member takes the tier and roles given here, and keeps its own when none are given.
  const given = { ...(o.tier && { tier }), ...(o.roles && { roles }) };
  const insert = createDb(env.DB).insert(members).values({ id, openid: `openid-${id}`, inviteCode: `inv-${id}`, tier, roles, createdAt: new Date() });
  await (Object.keys(given).length > 0 ? insert.onConflictDoUpdate({ target: members.id, set: given }) : insert.onConflictDoNothing());
  return { id, tier, token: await issueToken(env, { memberId: id }) };
}

/** Logs in through the WeChat sandbox as `openid` (code `sandbox:<openid>`). */
export async function login(openid: string, extra: { inviteCode?: string; scene?: string } = {}) {
  const res = await parsed(call("/api/auth/wechat", { json: { code: `sandbox:${openid}`, ...extra } }));
  if (res.status !== 200) throw new Error(`login ${openid} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { token: string; expiresIn: number; member: { id: string; inviteCode: string; [k: string]: any }; referral: any };
}
