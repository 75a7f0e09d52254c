import { ApiError } from "../http/problem";

/**
 * WeChat answers HTTP 200 with `{ errcode, errmsg }` on failure. The product turns the codes a caller can act on
 * into their own problems and everything else into an upstream error, never a 500.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 */
export type WechatErrorBody = { errcode?: number; errmsg?: string };

export class WechatError extends ApiError {
  constructor(status: ConstructorParameters<typeof ApiError>[0], code: string, detail: string, title: string, readonly errcode?: number) {
    super(status, code, detail, undefined, title);
  }
}

export function wechatProblem(errcode: number, errmsg = ""): WechatError {
  const said = `WeChat errcode ${errcode}${errmsg ? ` (${errmsg})` : ""}`;
  switch (errcode) {
    case 40029: // invalid code
    case 40163: // code been used
      return new WechatError(400, "wechat-invalid-code", `The login code is invalid or already used; call wx.login again. ${said}`, "Invalid WeChat login code", errcode);
    case 45011: // API minute-quota reached
    case 45009: // daily quota reached
      return new WechatError(429, "wechat-rate-limited", `WeChat is rate-limiting this app; try again shortly. ${said}`, "WeChat rate limit", errcode);
    case 40226: // high-risk user, blocked by WeChat
      return new WechatError(403, "wechat-user-blocked", `WeChat blocked this user's login. ${said}`, "WeChat user blocked", errcode);
    case -1: // system busy
      return new WechatError(503, "wechat-busy", `WeChat is busy; try again in a moment. ${said}`, "WeChat busy", errcode);
    default: // misconfiguration (40013 invalid appid, 40125 invalid secret, 40164 IP not whitelisted, …)
      return new WechatError(502, "wechat-error", `WeChat refused the request. ${said}`, "WeChat error", errcode);
  }
}

export function wechatUnavailable(detail: string): WechatError {
  return new WechatError(503, "wechat-unavailable", `WeChat could not be reached: ${detail}`, "WeChat unavailable");
}

/** Fetches a WeChat JSON API; network failures, 5xx and non-JSON answers become 503, errcodes become problems. */
export async function wechatFetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(8000) });
  } catch (e) {
    throw wechatUnavailable(e instanceof Error ? e.message : String(e));
  }
  const text = await res.text();
  let body: (T & WechatErrorBody) | undefined;
  try {
    body = JSON.parse(text);
  } catch {
    throw wechatUnavailable(`HTTP ${res.status}, not JSON`);
  }
  if (!res.ok && !body?.errcode) throw wechatUnavailable(`HTTP ${res.status}`);
  if (body && typeof body.errcode === "number" && body.errcode !== 0) throw wechatProblem(body.errcode, body.errmsg);
  if (!body || typeof body !== "object") throw wechatUnavailable("empty answer");
  return body;
}
