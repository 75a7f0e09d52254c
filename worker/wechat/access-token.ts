import type { WechatConfig } from "./code2session";
import { wechatFetchJson, wechatUnavailable } from "./errors";

/** Refresh this long before WeChat's expiry, so a token is never used in its last minutes. */
export const REFRESH_MARGIN_MS = 5 * 60 * 1000;

/** errcodes a WeChat API answers when the access token is invalid or expired: refresh with `forceRefresh`. */
export const ACCESS_TOKEN_ERRCODES: readonly number[] = [40001, 40014, 42001];

type CachedRow = { access_token: string; expires_at: number };

/**
 * The access token for WeChat's server APIs (wxacode, subscribe messages, …), cached in D1.
 * Uses the stable token API: in normal mode it returns the same token while it is valid, so isolates that
 * refresh at the same moment end up with one token rather than invalidating each other's.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
 */
export async function getAccessToken(d1: D1Database, config: WechatConfig, opts: { forceRefresh?: boolean; now?: number } = {}): Promise<string> {
  const now = opts.now ?? Date.now();
  if (!opts.forceRefresh) {
    const cached = await d1.prepare("SELECT access_token, expires_at FROM wechat_access_tokens WHERE appid = ?").bind(config.appid).first<CachedRow>();
    if (cached && cached.expires_at - REFRESH_MARGIN_MS > now) return cached.access_token;
  }
  const body = await wechatFetchJson<{ access_token?: string; expires_in?: number }>(new URL("/cgi-bin/stable_token", config.apiBase).toString(), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ grant_type: "client_credential", appid: config.appid, secret: config.secret, force_refresh: Boolean(opts.forceRefresh) }),
  });
  if (!body.access_token || !Number.isInteger(body.expires_in)) throw wechatUnavailable("stable_token answered without a token");
  const expiresAt = now + body.expires_in! * 1000;
  await d1
    .prepare(
      `INSERT INTO wechat_access_tokens (appid, access_token, expires_at, fetched_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (appid) DO UPDATE SET access_token = excluded.access_token, expires_at = excluded.expires_at, fetched_at = excluded.fetched_at`,
    )
    .bind(config.appid, body.access_token, expiresAt, now)
    .run();
  return body.access_token;
}
