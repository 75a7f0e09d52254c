import { describe, expect, it } from "vitest";
import { ApiClient } from "../../../mini-program/miniprogram/lib/client";
import { Session, type SessionPlatform } from "../../../mini-program/miniprogram/lib/session";
import { sandboxLoginCode } from "../../../mini-program/miniprogram/lib/dev-login";
import { ok, problem, scriptedTransport } from "./fake-transport";

const profile = { id: "m1", nickname: "", avatarUrl: "", phone: null, tier: "member", roles: [], inviteCode: "SELF2345", referrer: null, boundAt: null, createdAt: "2026-01-01T00:00:00.000Z" };
const loginResult = (token: string) => ok({ token, expiresIn: 7200, member: profile, referral: null });

function platform(stored: Record<string, string> = {}) {
  let codes = 0;
  const p: SessionPlatform = {
    login: async () => `sandbox:code-${++codes}`,
    load: (k) => stored[k] ?? null,
    save: (k, v) => void (stored[k] = v),
    remove: (k) => void delete stored[k],
  };
  return { platform: p, stored, logins: () => codes };
}

function setup(storage: Record<string, string>, ...answers: Parameters<typeof scriptedTransport>) {
  const { transport, sent } = scriptedTransport(...answers);
  const p = platform(storage);
  const session = new Session(p.platform, async () => undefined);
  const api = new ApiClient({ baseUrl: "", transport, credentials: session, sleep: async () => undefined });
  session.attach(api);
  return { session, api, sent, ...p };
}

describe("the login session", () => {
  it("logs in with the wx.login code and keeps the token across launches", async () => {
    const s = setup({}, loginResult("jwt-1"));
    await s.session.ensureLogin();
    expect(s.sent[0]).toMatchObject({ method: "POST", url: "/api/auth/wechat", body: { code: "sandbox:code-1" } });
    expect(s.stored["session.token"]).toBe("jwt-1");
    const relaunched = setup(s.stored);
    await relaunched.session.ensureLogin();
    expect(relaunched.sent).toHaveLength(0);
    expect(relaunched.session.token()).toBe("jwt-1");
  });

  it("retries a login that met a network failure with a fresh wx.login code (a code is single-use)", async () => {
    const s = setup({}, "network-failure", loginResult("jwt-1"));
    await s.session.ensureLogin();
    expect(s.logins()).toBe(2);
    expect(s.sent.map((r) => r.body)).toEqual([{ code: "sandbox:code-1" }, { code: "sandbox:code-2" }]);
    // The worker keeps no Idempotency-Key for login: its stored answer would be a token.
    for (const r of s.sent) expect(r.headers["Idempotency-Key"]).toBeUndefined();
    expect(s.session.token()).toBe("jwt-1");
  });

  it("sends a scanned code's scene with the login", async () => {
    const s = setup({}, loginResult("jwt-1"));
    await s.session.captureReferral({ inviteCode: "K7P3QW9M", source: "scene" });
    await s.session.ensureLogin();
    expect(s.sent[0].body).toEqual({ code: "sandbox:code-1", scene: "i=K7P3QW9M" });
  });

  it("binds a share link's code after the login when the member was already logged in", async () => {
    const s = setup({ "session.token": "jwt-old" }, ok({ status: "bound", member: profile }));
    await s.session.captureReferral({ inviteCode: "K7P3QW9M", source: "share" });
    expect(s.sent[0]).toMatchObject({ method: "POST", url: "/api/me/referrer", body: { inviteCode: "K7P3QW9M" } });
    expect(s.sent[0].headers["Idempotency-Key"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(s.logins()).toBe(0);
  });

  it("lets a refused referral pass silently", async () => {
    const s = setup({ "session.token": "jwt-old" }, problem(409, "referral-already-bound"));
    await expect(s.session.captureReferral({ inviteCode: "K7P3QW9M", source: "share" })).resolves.toBeUndefined();
  });

  it("shares one login among requests that all met a 401", async () => {
    const s = setup(
      { "session.token": "expired" },
      problem(401, "unauthorized"),
      problem(401, "unauthorized"),
      loginResult("fresh"),
      ok(profile),
      ok(profile),
    );
    await Promise.all([s.api.get("/api/me"), s.api.get("/api/me")]);
    expect(s.logins()).toBe(1);
    expect(s.sent.filter((r) => r.url === "/api/auth/wechat")).toHaveLength(1);
    expect(s.sent.slice(-2).map((r) => r.headers.Authorization)).toEqual(["Bearer fresh", "Bearer fresh"]);
  });
});

describe("renewing a refused token", () => {
  it("logs in once even when a second 401 arrives after the first renewal finished", async () => {
    const s = setup({ "session.token": "expired" }, problem(401, "unauthorized"), loginResult("fresh"), ok(profile));
    await s.api.get("/api/me");
    // A request that went out with the old token and is answered late:
    await s.session.renew("expired");
    expect(s.logins()).toBe(1);
    expect(s.session.token()).toBe("fresh");
    // The new token itself refused: that one does need a new login.
    const again = setup({ "session.token": "fresh" }, loginResult("fresher"));
    await again.session.renew("fresh");
    expect(again.session.token()).toBe("fresher");
  });
});

describe("logging in during development", () => {
  it("uses the sandbox's code for the demo member only in the development version", () => {
    expect(sandboxLoginCode("develop", "demo-member")).toBe("sandbox:demo-member");
    expect(sandboxLoginCode("trial", "demo-member")).toBeNull();
    expect(sandboxLoginCode("release", "demo-member")).toBeNull();
    expect(sandboxLoginCode(undefined, "demo-member")).toBeNull();
    expect(sandboxLoginCode("develop", "")).toBeNull();
  });
});
