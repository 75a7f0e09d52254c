import { env } from "cloudflare:workers";
import { BASE, call } from "../support/api";
import { hashPassword } from "../../worker/console/password";
import { totpCode } from "../../worker/console/totp";

export const ORIGIN = BASE;
export const PASSWORD = "correct horse battery staple";
/** A fixed base32 secret, so tests compute codes the way an authenticator app would. */
export const TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export async function seedAdmin(username: string, opts: { memberId?: string; totpLastStep?: number } = {}) {
  const id = `adm_${username}`;
  await env.DB.prepare(
    "INSERT INTO admin_users (id, username, password_hash, totp_secret, totp_last_step, member_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(id, username, await hashPassword(PASSWORD), TOTP_SECRET, opts.totpLastStep ?? 0, opts.memberId ?? null, Date.now())
    .run();
  return id;
}

let memberSeq = 0;
export async function seedMember(m: { id?: string; nickname?: string; openid?: string; phone?: string; tier?: string; referrerId?: string; roles?: string[] }) {
  const n = ++memberSeq;
  const id = m.id ?? `mem_${n}_${crypto.randomUUID().slice(0, 8)}`;
  await env.DB.prepare(
    "INSERT INTO members (id, openid, nickname, phone, tier, roles, referrer_id, bound_at, invite_code, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  )
    .bind(id, m.openid ?? `openid-${id}`, m.nickname ?? "", m.phone ?? null, m.tier ?? "member", JSON.stringify(m.roles ?? []), m.referrerId ?? null, m.referrerId ? Date.now() : null, `INV${id}`, Date.now() + n)
    .run();
  return id;
}

export function code(now = Date.now()) {
  return totpCode(TOTP_SECRET, now);
}

/** `call` with the browser's view of redirects: a 303 is returned, not followed. */
export function fetchWorker(path: string, init?: RequestInit) {
  return call(path, { redirect: "manual", ...init });
}

function cookieFrom(res: Response, name: string): string | undefined {
  for (const line of res.headers.getSetCookie()) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    if (pair.slice(0, eq) === name) return pair.slice(eq + 1);
  }
  return undefined;
}

/** What a browser does: load the login page (CSRF cookie + hidden field), then post the form from our origin. */
export async function submitLogin(form: { username: string; password?: string; code?: string }) {
  const page = await fetchWorker("/admin/login");
  const loginCsrf = cookieFrom(page, "__Host-zs_login")!;
  const body = new URLSearchParams({ username: form.username, password: form.password ?? PASSWORD, code: form.code ?? code(), _csrf: loginCsrf });
  return fetchWorker("/admin/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: `__Host-zs_login=${loginCsrf}` },
    body,
  });
}

/** Logs in and returns the session cookie header and the page's CSRF token. */
export async function loginSession(username: string) {
  const res = await submitLogin({ username });
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const token = cookieFrom(res, "__Host-zs_admin")!;
  const cookie = `__Host-zs_admin=${token}`;
  const dashboard = await fetchWorker("/admin", { headers: { cookie } });
  const csrf = (await dashboard.text()).match(/name="csrf-token" content="([^"]+)"/)![1];
  return { token, cookie, csrf, setCookie: res.headers.getSetCookie() };
}

export async function auditRows(action?: string) {
  const q = action ? env.DB.prepare("SELECT * FROM audit_log WHERE action = ? ORDER BY id").bind(action) : env.DB.prepare("SELECT * FROM audit_log ORDER BY id");
  return (await q.all<Record<string, unknown>>()).results;
}

export { cookieFrom };
