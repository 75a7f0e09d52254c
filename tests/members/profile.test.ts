import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, login, parsed } from "../support/api";

describe("the member's own profile", () => {
  it("sets nickname and avatar", async () => {
    const m = await login("p-named");
    const res = await parsed(call("/api/me", { method: "PATCH", token: m.token, json: { nickname: " 小明 ", avatarUrl: "https://img.example/a.png" } }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ nickname: "小明", avatarUrl: "https://img.example/a.png" });
  });

  it.each([
    ["an empty patch", {}],
    ["an over-long nickname", { nickname: "名".repeat(33) }],
    ["a non-https avatar", { avatarUrl: "http://img.example/a.png" }],
    ["a tier (members cannot promote themselves)", { tier: "shareholder" }],
  ])("rejects %s with 422 and changes nothing", async (_, body) => {
    const m = await login(`p-bad-${Object.keys(body).join("-") || "empty"}`);
    const res = await parsed(call("/api/me", { method: "PATCH", token: m.token, json: body }));
    expect(res.status).toBe(422);
    expect((await parsed(call("/api/me", { token: m.token }))).body).toEqual(m.member);
  });

  it("ignores roles sent with a valid patch", async () => {
    const m = await login("p-sneaky");
    const res = await parsed(call("/api/me", { method: "PATCH", token: m.token, json: { nickname: "x", roles: ["admin"] } }));
    expect(res.status).toBe(200);
    expect(res.body.roles).toEqual([]);
  });
});

describe("the phone number from getPhoneNumber", () => {
  it("stores the number WeChat returns for the button's code", async () => {
    const m = await login("p-phone");
    const res = await parsed(call("/api/me/phone", { token: m.token, json: { code: "sandbox-phone:13800138000" } }));
    expect(res.status).toBe(200);
    expect(res.body.phone).toBe("13800138000");
  });

  it("refreshes an access token WeChat no longer accepts and retries once", async () => {
    await env.DB.prepare(
      "INSERT INTO wechat_access_tokens (appid, access_token, expires_at, fetched_at) VALUES (?, 'revoked-token', ?, 0) ON CONFLICT (appid) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at",
    )
      .bind(env.WECHAT_APPID, Date.now() + 3600_000)
      .run();
    const m = await login("p-phone-refresh");
    const res = await parsed(call("/api/me/phone", { token: m.token, json: { code: "sandbox-phone:13900139000" } }));
    expect(res.status).toBe(200);
    expect(res.body.phone).toBe("13900139000");
    const cached = await env.DB.prepare("SELECT access_token FROM wechat_access_tokens WHERE appid = ?").bind(env.WECHAT_APPID).first<{ access_token: string }>();
    expect(cached?.access_token).toMatch(/^sandbox-token-/);
  });

  it.each([
    ["not-a-code", 400, "/problems/wechat-invalid-code"],
    ["sandbox-error:45011", 429, "/problems/wechat-rate-limited"],
    ["sandbox-error:-1", 503, "/problems/wechat-busy"],
  ])("answers code %s with %i %s and stores nothing", async (code, status, type) => {
    const m = await login(`p-phone-${status}`);
    const res = await parsed(call("/api/me/phone", { token: m.token, json: { code } }));
    expect(res.status).toBe(status);
    expect(res.body.type).toBe(type);
    expect((await parsed(call("/api/me", { token: m.token }))).body.phone).toBeNull();
  });
});
