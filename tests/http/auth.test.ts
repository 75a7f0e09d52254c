import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { issueToken, TOKEN_TTL_SECONDS } from "../../worker/http/auth";
import { call, login, parsed } from "../support/api";

function b64url(json: unknown) {
  return btoa(JSON.stringify(json)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

describe("bearer tokens", () => {
  it("accepts a token it issued", async () => {
    const { token } = await login("t-valid");
    expect((await parsed(call("/api/me", { token }))).status).toBe(200);
  });

  it("rejects a token whose claims were edited (tier raised, admin role added)", async () => {
    const { token } = await login("t-tamper");
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(atob(payload.replace(/-/g, "+").replace(/_/g, "/")));
    const forged = [header, b64url({ ...claims, tier: "shareholder", roles: ["admin"] }), signature].join(".");
    const res = await parsed(call("/api/me", { token: forged }));
    expect(res.status).toBe(401);
    expect(res.body.type).toBe("/problems/unauthorized");
  });

  it("rejects a token signed with another secret", async () => {
    const { member } = await login("t-other-secret");
    const token = await issueToken({ ...env, JWT_SECRET: "another-secret-another-secret-another-secret" }, { memberId: member.id, tier: "member", roles: [] });
    expect((await parsed(call("/api/me", { token }))).status).toBe(401);
  });

  it("rejects an unsigned (alg: none) token", async () => {
    const { member } = await login("t-none");
    const now = Math.floor(Date.now() / 1000);
    const token = `${b64url({ alg: "none", typ: "JWT" })}.${b64url({ sub: member.id, tier: "member", roles: ["admin"], iss: env.JWT_ISSUER, aud: env.JWT_AUDIENCE, iat: now, exp: now + 60 })}.`;
    expect((await parsed(call("/api/me", { token }))).status).toBe(401);
  });

  it("rejects an expired token and says so", async () => {
    const { member } = await login("t-expired");
    const token = await issueToken(env, { memberId: member.id, tier: "member", roles: [] }, Date.now() - (TOKEN_TTL_SECONDS + 60) * 1000);
    const res = await parsed(call("/api/me", { token }));
    expect(res.status).toBe(401);
    expect(res.body.detail).toMatch(/expired/);
  });

  it("keeps tokens short-lived", async () => {
    const { token, expiresIn } = await login("t-ttl");
    const claims = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims.exp - claims.iat).toBe(expiresIn);
    expect(expiresIn).toBeLessThanOrEqual(2 * 3600);
  });

  it.each([
    ["audience", { JWT_AUDIENCE: "some-other-app" }],
    ["issuer", { JWT_ISSUER: "someone-else" }],
  ])("rejects a token for another %s", async (_, override) => {
    const { member } = await login(`t-wrong-${Object.keys(override)[0]}`);
    const token = await issueToken({ ...env, ...override }, { memberId: member.id, tier: "member", roles: [] });
    expect((await parsed(call("/api/me", { token }))).status).toBe(401);
  });

  it("rejects a correctly signed token without an expiry", async () => {
    const { member } = await login("t-no-exp");
    const token = await new SignJWT({ tier: "member", roles: [] })
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(member.id)
      .setIssuer(env.JWT_ISSUER)
      .setAudience(env.JWT_AUDIENCE)
      .setIssuedAt()
      .sign(new TextEncoder().encode(env.JWT_SECRET));
    expect((await parsed(call("/api/me", { token }))).status).toBe(401);
  });

  it("rejects a malformed Authorization header", async () => {
    for (const authorization of ["Bearer", "Basic abc", "Bearer a b", "Bearer not.a.jwt"]) {
      expect((await parsed(call("/api/me", { headers: { authorization } }))).status).toBe(401);
    }
  });
});
