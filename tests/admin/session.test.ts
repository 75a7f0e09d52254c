import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { attemptLogin } from "../../worker/console/login";
import { loadSession, SESSION_TTL_MS } from "../../worker/console/session";
import { code, fetchWorker, PASSWORD, seedAdmin } from "./support";

describe("console sessions", () => {
  it("expire eight hours after login", async () => {
    await seedAdmin("pat");
    const t0 = Date.now() - SESSION_TTL_MS - 60_000;
    const login = await attemptLogin(env.DB, { username: "pat", password: PASSWORD, code: code(t0) }, { now: t0 });
    if (!login.ok) throw new Error("login failed");
    expect(await loadSession(env.DB, login.token, t0 + SESSION_TTL_MS - 1)).not.toBeNull();
    expect(await loadSession(env.DB, login.token, t0 + SESSION_TTL_MS)).toBeNull();

    const cookie = `__Host-zs_admin=${login.token}`;
    const page = await fetchWorker("/admin/members", { headers: { cookie } });
    expect(page.status).toBe(303);
    expect(page.headers.get("location")).toBe("/admin/login");
    expect((await fetchWorker("/api/admin/audit-log", { headers: { cookie } })).status).toBe(401);

    // the next login clears the expired session away
    expect((await attemptLogin(env.DB, { username: "pat", password: PASSWORD, code: code() })).ok).toBe(true);
    const hashes = await env.DB.prepare("SELECT expires_at FROM admin_sessions WHERE admin_id = 'adm_pat'").all<{ expires_at: number }>();
    expect(hashes.results).toHaveLength(1);
    expect(hashes.results[0].expires_at).toBeGreaterThan(Date.now());
  });

  it("end when the admin is disabled", async () => {
    await seedAdmin("quinn");
    const login = await attemptLogin(env.DB, { username: "quinn", password: PASSWORD, code: code() });
    if (!login.ok) throw new Error("login failed");
    expect(await loadSession(env.DB, login.token)).not.toBeNull();
    await env.DB.prepare("UPDATE admin_users SET disabled = 1 WHERE id = 'adm_quinn'").run();
    expect(await loadSession(env.DB, login.token)).toBeNull();
  });

  it("end, and no new one starts, when the console user's linked member is blocked", async () => {
    await env.DB.prepare("INSERT INTO members (id, openid, tier, roles, invite_code, created_at) VALUES ('mem_rho', 'o-rho', 'member', '[\"admin\"]', 'INV-RHO', ?)").bind(Date.now()).run();
    await seedAdmin("rho", { memberId: "mem_rho" });
    const login = await attemptLogin(env.DB, { username: "rho", password: PASSWORD, code: code() });
    if (!login.ok) throw new Error("login failed");
    expect(await loadSession(env.DB, login.token)).not.toBeNull();
    await env.DB.prepare("UPDATE members SET blocked_at = ? WHERE id = 'mem_rho'").bind(Date.now()).run();
    expect(await loadSession(env.DB, login.token)).toBeNull();
    expect(await attemptLogin(env.DB, { username: "rho", password: PASSWORD, code: code(Date.now() + 30_000) })).toEqual({ ok: false, reason: "disabled" });
  });

  it("ignore cookies that are not a session token", async () => {
    for (const cookie of ["__Host-zs_admin=", "__Host-zs_admin=abc", `__Host-zs_admin=${"A".repeat(43)}`, "zs_admin=whatever"]) {
      const res = await fetchWorker("/admin", { headers: { cookie } });
      expect(res.status).toBe(303);
    }
  });

  it("serve console pages with no-store, no framing and a strict CSP", async () => {
    const res = await fetchWorker("/admin/login");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(await res.text()).toMatch(/^<!DOCTYPE html><html lang="zh-CN">/);
  });
});
