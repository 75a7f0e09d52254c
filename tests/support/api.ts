import { exports } from "cloudflare:workers";

export const BASE = "https://partners.test";

type CallOptions = { method?: string; token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> };

/** Calls the real worker through its fetch handler and returns the status and parsed body. */
export async function call<T = any>(path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | undefined = opts.rawBody;
  if (opts.body !== undefined) {
    headers["content-type"] ??= "application/json";
    body = JSON.stringify(opts.body);
  }
  const res = await exports.default.fetch(`${BASE}${path}`, { method: opts.method ?? (body !== undefined ? "POST" : "GET"), headers, body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : null) as T };
}

/** Logs in through the WeChat sandbox as `openid` (code `sandbox:<openid>`). */
export async function login(openid: string, extra: { inviteCode?: string; scene?: string } = {}) {
  const res = await call("/api/auth/wechat", { body: { code: `sandbox:${openid}`, ...extra } });
  if (res.status !== 200) throw new Error(`login ${openid} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { token: string; expiresIn: number; member: { id: string; inviteCode: string; [k: string]: any }; referral: any };
}
