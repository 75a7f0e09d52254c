import { Hono } from "hono";
import { injectedFailure, type SandboxEnv } from "./conventions";

const TTL_SECONDS = 7200;
/** Like WeChat's stable token: the same token until it expires or force_refresh asks for a new one. */
const issued = new Map<string, { token: string; expiresAt: number }>();

/** What WeChat checks on every server API call: the token is the app's current one and has not expired. */
export function isCurrentToken(token: string | undefined): boolean {
  if (!token) return false;
  for (const t of issued.values()) if (t.token === token && t.expiresAt > Date.now()) return true;
  return false;
}

/**
 * stable_token: `{ grant_type: "client_credential", appid, secret, force_refresh? }` → `{ access_token, expires_in }`.
 * A secret `sandbox-error:<errcode>` answers that errcode.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html
 */
export const token = new Hono<SandboxEnv>().post("/cgi-bin/stable_token", async (c) => {
  const body = await c.req.json<{ grant_type?: string; appid?: string; secret?: string; force_refresh?: boolean }>().catch(() => null);
  if (!body) return c.json({ errcode: 47001, errmsg: "data format error" });
  const injected = injectedFailure(c, body.secret);
  if (injected) return injected;
  if (body.grant_type !== "client_credential") return c.json({ errcode: 40002, errmsg: "invalid grant_type" });
  if (body.appid !== c.env.WECHAT_APPID) return c.json({ errcode: 40013, errmsg: "invalid appid" });
  if (body.secret !== c.env.WECHAT_SECRET) return c.json({ errcode: 40125, errmsg: "invalid appsecret" });
  const now = Date.now();
  let current = issued.get(body.appid);
  if (!current || current.expiresAt <= now || body.force_refresh) {
    current = { token: `sandbox-token-${crypto.randomUUID()}`, expiresAt: now + TTL_SECONDS * 1000 };
    issued.set(body.appid, current);
  }
  return c.json({ access_token: current.token, expires_in: Math.floor((current.expiresAt - now) / 1000) });
});
