import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import type { AppEnv } from "../../worker/http/context";
import { consolePrincipal } from "../../worker/console/api-auth";
import { principal, requireAdmin, useCookiePrincipal } from "../../worker/http/auth";
import { toApiError, problemResponse } from "../../worker/http/problem";
import { cookieFrom, fetchWorker, loginSession, ORIGIN, PASSWORD, seedAdmin } from "./support";
import { mintMember } from "../support/api";

const form = (fields: Record<string, string>) => new URLSearchParams(fields);
const sessionCount = async (adminId: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM admin_sessions WHERE admin_id = ?").bind(adminId).first<{ n: number }>())!.n;

/** A stand-in admin API route with a state change, to exercise requireAdmin the way other modules use it. */
useCookiePrincipal(consolePrincipal); // as worker/app.ts does at assembly
const probe = new Hono<AppEnv>()
  .use("*", requireAdmin)
  .post("/api/admin/probe", (c) => c.json(principal(c)))
  .get("/api/admin/probe", (c) => c.json(principal(c)));
probe.onError((err, c) => problemResponse(c, toApiError(err)));
const callProbe = (init: RequestInit) => probe.fetch(new Request(`${ORIGIN}/api/admin/probe`, init), env);

describe("CSRF protection of the console", () => {
  it("refuses a logout posted without the session's CSRF token, and the session survives", async () => {
    const adminId = await seedAdmin("judy");
    const { cookie } = await loginSession("judy");
    const headers = { cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" };
    expect((await fetchWorker("/admin/logout", { method: "POST", headers, body: form({}) })).status).toBe(403);
    expect((await fetchWorker("/admin/logout", { method: "POST", headers, body: form({ _csrf: "forged" }) })).status).toBe(403);
    expect(await sessionCount(adminId)).toBe(1);
  });

  it("refuses a form posted from another origin even with the right token", async () => {
    const adminId = await seedAdmin("ken");
    const { cookie, csrf } = await loginSession("ken");
    const res = await fetchWorker("/admin/logout", {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: form({ _csrf: csrf }),
    });
    expect(res.status).toBe(403);
    expect(await sessionCount(adminId)).toBe(1);
  });

  it("a CSRF token belongs to one session: another admin's token does not work", async () => {
    const adminId = await seedAdmin("lena");
    await seedAdmin("mike");
    const lena = await loginSession("lena");
    const mike = await loginSession("mike");
    const res = await fetchWorker("/admin/logout", {
      method: "POST",
      headers: { cookie: lena.cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: form({ _csrf: mike.csrf }),
    });
    expect(res.status).toBe(403);
    expect(await sessionCount(adminId)).toBe(1);
  });

  it("refuses a login form without its double-submit cookie, before checking any password", async () => {
    await seedAdmin("nina");
    const res = await fetchWorker("/admin/login", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: form({ username: "nina", password: PASSWORD, code: "123456", _csrf: "x".repeat(43) }),
    });
    expect(res.status).toBe(403);
    expect(cookieFrom(res, "__Host-zs_admin")).toBeUndefined();
    expect((await env.DB.prepare("SELECT failed_attempts FROM admin_users WHERE id = 'adm_nina'").first())?.failed_attempts).toBe(0);
  });

  it("refuses an oversized login form without reading it", async () => {
    const res = await fetchWorker("/admin/login", {
      method: "POST",
      headers: { origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
      body: form({ username: "x", password: "p".repeat(20_000), code: "123456", _csrf: "x" }),
    });
    expect(res.status).toBe(413);
  });

  it("lets the console cookie call admin APIs, requiring X-CSRF-Token for state changes", async () => {
    const adminId = await seedAdmin("oscar");
    const { cookie, csrf } = await loginSession("oscar");
    const get = await callProbe({ headers: { cookie } });
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual({ memberId: adminId, tier: "member", roles: ["admin"], adminId });
    expect((await callProbe({ method: "POST", headers: { cookie, origin: ORIGIN } })).status).toBe(403);
    expect((await callProbe({ method: "POST", headers: { cookie, origin: ORIGIN, "x-csrf-token": "nope" } })).status).toBe(403);
    expect((await callProbe({ method: "POST", headers: { cookie, origin: "https://evil.example", "x-csrf-token": csrf } })).status).toBe(403);
    expect((await callProbe({ method: "POST", headers: { cookie, origin: ORIGIN, "x-csrf-token": csrf } })).status).toBe(200);
  });

  it("keeps bearer behaviour unchanged: admin JWT passes, member JWT is 403, nothing is 401", async () => {
    const admin = (await mintMember({ id: "m-admin", roles: ["admin"] })).token;
    const member = (await mintMember({ id: "m-1", tier: "promoter" })).token;
    const asAdmin = await callProbe({ method: "POST", headers: { authorization: `Bearer ${admin}` } });
    expect(await asAdmin.json()).toEqual({ memberId: "m-admin", tier: "member", roles: ["admin"] });
    expect((await callProbe({ headers: { authorization: `Bearer ${member}` } })).status).toBe(403);
    expect((await callProbe({})).status).toBe(401);
    expect((await callProbe({ headers: { authorization: "Bearer not.a.jwt" } })).status).toBe(401);
  });
});
