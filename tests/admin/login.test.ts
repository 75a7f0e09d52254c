import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attemptLogin, LOCKOUT_MS, MAX_FAILED_ATTEMPTS } from "../../worker/console/login";
import { sha256Hex } from "../../worker/http/encoding";
import { auditRows, code, cookieFrom, fetchWorker, loginSession, PASSWORD, seedAdmin, submitLogin } from "./support";

describe("admin login with password and TOTP", () => {
  it("opens a session in an HttpOnly, Secure, SameSite=Strict host cookie and stores only the token's hash", async () => {
    await seedAdmin("carol");
    const res = await submitLogin({ username: "carol" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin");
    const line = res.headers.getSetCookie().find((l) => l.startsWith("__Host-zs_admin="))!;
    expect(line).toMatch(/; HttpOnly/);
    expect(line).toMatch(/; Secure/);
    expect(line).toMatch(/; SameSite=Strict/);
    expect(line).toMatch(/; Path=\//);
    expect(line).not.toMatch(/Domain=/i);
    const token = cookieFrom(res, "__Host-zs_admin")!;
    const rows = (await env.DB.prepare("SELECT token_hash FROM admin_sessions WHERE admin_id = 'adm_carol'").all<{ token_hash: string }>()).results;
    expect(rows).toEqual([{ token_hash: await sha256Hex(token) }]);
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it("answers a wrong password, a wrong code and an unknown username with the same generic message", async () => {
    await seedAdmin("dave");
    const bodies = await Promise.all([
      submitLogin({ username: "dave", password: "wrong password" }),
      submitLogin({ username: "dave", code: code(Date.now() - 10 * 60_000) }),
      submitLogin({ username: "nobody-here" }),
    ]).then((rs) => Promise.all(rs.map(async (r) => ({ status: r.status, error: (await r.text()).match(/role="alert">([^<]*)</)?.[1] }))));
    expect(bodies[0].status).toBe(401);
    expect(bodies[0].error).toBeTruthy();
    expect(bodies[1]).toEqual(bodies[0]);
    expect(bodies[2]).toEqual(bodies[0]);
    expect((await auditRows("admin.login_failed")).map((r) => JSON.parse(r.after as string).reason).sort()).toEqual(["password", "totp", "unknown_user"]);
  });

  it("accepts a code from the previous or next 30-second step, and nothing further", async () => {
    await seedAdmin("erin");
    const now = Date.UTC(2026, 10, 25, 12, 0, 15);
    const at = (offsetSec: number) => attemptLogin(env.DB, { username: "erin", password: PASSWORD, code: code(now + offsetSec * 1000) }, { now });
    expect((await at(-61)).ok).toBe(false);
    expect((await at(61)).ok).toBe(false);
    expect((await at(-30)).ok).toBe(true);
    expect((await at(30)).ok).toBe(true);
  });

  it("refuses a TOTP code that was already used", async () => {
    await seedAdmin("frank");
    const now = Date.now();
    const input = { username: "frank", password: PASSWORD, code: code(now) };
    expect((await attemptLogin(env.DB, input, { now })).ok).toBe(true);
    expect(await attemptLogin(env.DB, input, { now: now + 1000 })).toEqual({ ok: false, reason: "totp_replay" });
  });

  it("opens one session when two logins race with the same TOTP code", async () => {
    await seedAdmin("gina");
    const input = { username: "gina", password: PASSWORD, code: code() };
    const results = await Promise.all([attemptLogin(env.DB, input), attemptLogin(env.DB, input), attemptLogin(env.DB, input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toEqual(["totp_replay", "totp_replay"]);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM admin_sessions WHERE admin_id = 'adm_gina'").first())?.n).toBe(1);
    expect((await auditRows("admin.login")).filter((r) => r.actor_id === "adm_gina")).toHaveLength(1);
  });

  it(`locks the account for 15 minutes after ${MAX_FAILED_ATTEMPTS} failures, even against the right credentials`, async () => {
    await seedAdmin("grace");
    const t0 = Date.UTC(2026, 10, 25, 9, 0, 0);
    for (let i = 0; i < MAX_FAILED_ATTEMPTS; i++) {
      expect((await attemptLogin(env.DB, { username: "grace", password: "guess" + i, code: "000000" }, { now: t0 + i })).ok).toBe(false);
    }
    const locked = await attemptLogin(env.DB, { username: "grace", password: PASSWORD, code: code(t0 + 60_000) }, { now: t0 + 60_000 });
    expect(locked).toEqual({ ok: false, reason: "locked" });
    const lockouts = await auditRows("admin.locked_out");
    expect(lockouts).toHaveLength(1);
    expect(lockouts[0]).toMatchObject({ actor_id: "adm_grace", target_id: "adm_grace" });

    const after = t0 + LOCKOUT_MS + 1000;
    expect((await attemptLogin(env.DB, { username: "grace", password: PASSWORD, code: code(after) }, { now: after })).ok).toBe(true);
    const row = await env.DB.prepare("SELECT failed_attempts, locked_until FROM admin_users WHERE id = 'adm_grace'").first();
    expect(row).toEqual({ failed_attempts: 0, locked_until: null });
  });

  it("locks once, and records the lock-out once, when failures arrive all at once", async () => {
    await seedAdmin("hank");
    const now = Date.now();
    const wrong = { username: "hank", password: "wrong", code: "000000" };
    await Promise.all(Array.from({ length: MAX_FAILED_ATTEMPTS }, (_, i) => attemptLogin(env.DB, wrong, { now: now + i })));
    const row = await env.DB.prepare("SELECT locked_until FROM admin_users WHERE id = 'adm_hank'").first<{ locked_until: number }>();
    expect(row!.locked_until).toBeGreaterThan(now);
    expect((await auditRows("admin.locked_out")).filter((r) => r.actor_id === "adm_hank")).toHaveLength(1);
    expect((await attemptLogin(env.DB, { username: "hank", password: PASSWORD, code: code(now) }, { now: now + 10 })).ok).toBe(false);
  });

  it("a success resets the failure count, so only consecutive failures lock", async () => {
    await seedAdmin("heidi");
    const t0 = Date.UTC(2026, 10, 25, 10, 0, 0);
    for (let i = 0; i < MAX_FAILED_ATTEMPTS - 1; i++) await attemptLogin(env.DB, { username: "heidi", password: "x", code: "000000" }, { now: t0 });
    expect((await attemptLogin(env.DB, { username: "heidi", password: PASSWORD, code: code(t0) }, { now: t0 })).ok).toBe(true);
    await attemptLogin(env.DB, { username: "heidi", password: "x", code: "000000" }, { now: t0 + 60_000 });
    expect((await attemptLogin(env.DB, { username: "heidi", password: PASSWORD, code: code(t0 + 90_000) }, { now: t0 + 90_000 })).ok).toBe(true);
  });

  it("records login and logout in the audit log and ends the session on logout", async () => {
    await seedAdmin("ivan");
    const { cookie, csrf } = await loginSession("ivan");
    const res = await fetchWorker("/admin/logout", {
      method: "POST",
      headers: { cookie, origin: "https://partners.test", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrf }),
    });
    expect(res.status).toBe(303);
    expect(res.headers.getSetCookie().some((l) => l.startsWith("__Host-zs_admin=;") && l.includes("Max-Age=0"))).toBe(true);
    expect((await fetchWorker("/admin", { headers: { cookie } })).headers.get("location")).toBe("/admin/login");
    expect((await env.DB.prepare("SELECT count(*) AS n FROM admin_sessions WHERE admin_id = 'adm_ivan'").first())?.n).toBe(0);
    const actions = (await auditRows()).filter((r) => r.actor_id === "adm_ivan").map((r) => r.action);
    expect(actions).toEqual(["admin.login", "admin.logout"]);
  });
});
