import { wechatFetchJson, wechatUnavailable } from "./errors";

export type WechatConfig = { appid: string; secret: string; apiBase: string };

export function wechatConfig(env: Pick<Env, "WECHAT_APPID" | "WECHAT_SECRET" | "WECHAT_API_BASE">): WechatConfig {
  return { appid: env.WECHAT_APPID, secret: env.WECHAT_SECRET, apiBase: env.WECHAT_API_BASE || "https://api.weixin.qq.com" };
}

export type WechatSession = { openid: string; unionid: string | null; sessionKey: string };

/**
 * Exchanges a `wx.login` code for the user's openid (and unionid when the app is bound to an open platform account).
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 */
export async function code2Session(config: WechatConfig, code: string): Promise<WechatSession> {
  const url = new URL("/sns/jscode2session", config.apiBase);
  url.search = new URLSearchParams({ appid: config.appid, secret: config.secret, js_code: code, grant_type: "authorization_code" }).toString();
  const body = await wechatFetchJson<{ openid?: string; unionid?: string; session_key?: string }>(url.toString());
  if (!body.openid) throw wechatUnavailable("jscode2session answered without an openid");
  return { openid: body.openid, unionid: body.unionid ?? null, sessionKey: body.session_key ?? "" };
}
