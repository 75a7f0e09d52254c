import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { getAccessToken, REFRESH_MARGIN_MS } from "../../worker/wechat/access-token";
import { wechatConfig } from "../../worker/wechat/code2session";
import { WechatError } from "../../worker/wechat/errors";

const config = wechatConfig(env);

async function cachedRow() {
  return env.DB.prepare("SELECT access_token, expires_at FROM wechat_access_tokens WHERE appid = ?").bind(config.appid).first<{ access_token: string; expires_at: number }>();
}

async function storeToken(token: string, expiresAt: number) {
  await env.DB.prepare(
    "INSERT INTO wechat_access_tokens (appid, access_token, expires_at, fetched_at) VALUES (?, ?, ?, 0) ON CONFLICT (appid) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at",
  )
    .bind(config.appid, token, expiresAt)
    .run();
}

describe("the WeChat access token", () => {
  it("fetches a stable token from WeChat and caches it in D1 with its expiry", async () => {
    const before = Date.now();
    const token = await getAccessToken(env.DB, config);
    expect(token).toMatch(/^sandbox-token-/);
    const row = await cachedRow();
    expect(row?.access_token).toBe(token);
    expect(row!.expires_at).toBeGreaterThanOrEqual(before + 7000_000);
  });

  it("serves the cached token without asking WeChat while it is fresh", async () => {
    await storeToken("cached-token", Date.now() + 3600_000);
    // A failing WeChat would surface as an error if it were asked.
    expect(await getAccessToken(env.DB, { ...config, secret: "sandbox-error:-1" })).toBe("cached-token");
  });

  it("refreshes ahead of expiry", async () => {
    await storeToken("about-to-expire", Date.now() + REFRESH_MARGIN_MS - 1000);
    const token = await getAccessToken(env.DB, config);
    expect(token).not.toBe("about-to-expire");
    expect((await cachedRow())?.access_token).toBe(token);
  });

  it("gets a new token when forced (after WeChat said the token is invalid)", async () => {
    const first = await getAccessToken(env.DB, config, { forceRefresh: true });
    const second = await getAccessToken(env.DB, config, { forceRefresh: true });
    expect(second).not.toBe(first);
    expect((await cachedRow())?.access_token).toBe(second);
  });

  it.each([
    ["sandbox-error:45009", 429, "wechat-rate-limited"],
    ["sandbox-error:-1", 503, "wechat-busy"],
    ["sandbox-error:http-503", 503, "wechat-unavailable"],
    ["wrong-secret", 502, "wechat-error"],
  ])("turns a failure (secret %s) into a %i %s problem and keeps the cache", async (secret, status, code) => {
    await storeToken("stale", Date.now() - 1);
    const err = await getAccessToken(env.DB, { ...config, secret }).catch((e) => e);
    expect(err).toBeInstanceOf(WechatError);
    expect(err).toMatchObject({ status, code });
    expect((await cachedRow())?.access_token).toBe("stale");
  });
});
