import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyToken } from "../../worker/http/auth";
import { call, login, parsed } from "../support/api";

describe("WeChat login", () => {
  it("creates a member on first login and returns a token that names the member (and nothing it may do)", async () => {
    const res = await parsed(call("/api/auth/wechat", { json: { code: "sandbox:first-timer" } }));
    expect(res.status).toBe(200);
    expect(res.body.member).toMatchObject({ tier: "member", roles: [], referrer: null, boundAt: null });
    expect(res.body.member.inviteCode).toMatch(/^[23456789A-HJ-NP-Z]{8}$/);
    expect(res.body.referral).toBeNull();
    const principal = await verifyToken(env, res.body.token);
    expect(principal).toEqual({ memberId: res.body.member.id });
  });

  it("finds the same member again on the next login", async () => {
    const first = await login("returning");
    const second = await login("returning");
    expect(second.member.id).toBe(first.member.id);
    expect(second.member.inviteCode).toBe(first.member.inviteCode);
    const { n } = (await env.DB.prepare("SELECT count(*) AS n FROM members WHERE openid = 'returning'").first<{ n: number }>())!;
    expect(n).toBe(1);
  });

  it("makes one member when the same person logs in twice at once", async () => {
    const results = await Promise.all(Array.from({ length: 8 }, () => login("double-tap")));
    expect(new Set(results.map((r) => r.member.id)).size).toBe(1);
  });

  it("stores the unionid when WeChat sends one", async () => {
    const { member } = await login("u-open-platform");
    const row = await env.DB.prepare("SELECT unionid FROM members WHERE id = ?").bind(member.id).first<{ unionid: string }>();
    expect(row?.unionid).toBe("union-u-open-platform");
  });

  it("reads roles and tier from the database, not from the request", async () => {
    await env.DB.prepare(
      "INSERT INTO members (id, openid, tier, roles, invite_code, created_at) VALUES ('m-boss', 'boss', 'channel_partner', '[\"admin\"]', 'BOSS2345', 0)",
    ).run();
    const { token, member } = await login("boss");
    expect(member).toMatchObject({ id: "m-boss", tier: "channel_partner", roles: ["admin"] });
    expect(await verifyToken(env, token)).toEqual({ memberId: "m-boss" });
  });

  it("serves the profile at /api/me", async () => {
    const { token, member } = await login("profile-owner");
    const res = await parsed(call("/api/me", { token }));
    expect(res.status).toBe(200);
    expect(res.body).toEqual(member);
  });

  it("refuses /api/me without a token", async () => {
    const res = await parsed(call("/api/me"));
    expect(res.status).toBe(401);
    expect(res.body.type).toBe("/problems/unauthorized");
  });
});

describe("WeChat login failures", () => {
  const cases: [string, number, string][] = [
    ["not-a-sandbox-code", 400, "/problems/wechat-invalid-code"],
    ["sandbox-error:40029", 400, "/problems/wechat-invalid-code"],
    ["sandbox-error:40163", 400, "/problems/wechat-invalid-code"],
    ["sandbox-error:45011", 429, "/problems/wechat-rate-limited"],
    ["sandbox-error:40226", 403, "/problems/wechat-user-blocked"],
    ["sandbox-error:-1", 503, "/problems/wechat-busy"],
    ["sandbox-error:40013", 502, "/problems/wechat-error"],
    ["sandbox-error:http-502", 503, "/problems/wechat-unavailable"],
  ];
  it.each(cases)("answers code %s with %i %s and writes nothing", async (code, status, type) => {
    const before = await env.DB.prepare("SELECT count(*) AS n FROM members").first<{ n: number }>();
    const res = await parsed(call("/api/auth/wechat", { json: { code } }));
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(res.body).toMatchObject({ type, status });
    const after = await env.DB.prepare("SELECT count(*) AS n FROM members").first<{ n: number }>();
    expect(after).toEqual(before);
  });

  it.each([
    ["no code", {}],
    ["an empty code", { code: "" }],
    ["a code that is not a string", { code: 42 }],
    ["an overlong invite code", { code: "sandbox:x", inviteCode: "X".repeat(40) }],
  ])("rejects %s with 422 before calling WeChat", async (_, body) => {
    const res = await parsed(call("/api/auth/wechat", { json: body }));
    expect(res.status).toBe(422);
    expect(res.body.type).toBe("/problems/validation-failed");
    expect(res.body.errors.length).toBeGreaterThan(0);
  });

  it("rejects a body that is not JSON with 400", async () => {
    const res = await parsed(call("/api/auth/wechat", { body: "{nope", headers: { "content-type": "application/json" }, method: "POST" }));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });
});
