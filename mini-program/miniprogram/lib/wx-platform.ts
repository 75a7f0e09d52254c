/**
 * The only module that touches `wx`: the transport over wx.request and the session's storage and login.
 * Everything else is plain TypeScript, tested without a WeChat runtime.
 */
import { DEV_SANDBOX_OPENID } from "../config";
import type { HttpRequest, HttpResponse, Transport } from "./client";
import { sandboxLoginCode } from "./dev-login";
import type { SessionPlatform } from "./session";

export const wxTransport: Transport = (request: HttpRequest) =>
  new Promise<HttpResponse>((resolve, reject) => {
    wx.request({
      url: request.url,
      method: request.method as "GET" | "POST",
      header: request.headers,
      data: request.body as WechatMiniprogram.IAnyObject | undefined,
      dataType: "json",
      timeout: 15_000,
      success: (res) => resolve({ status: res.statusCode, body: parseBody(res.data), headers: res.header as Record<string, string> | undefined }),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });

/** wx.request parses JSON itself only when it can; problem+json arrives parsed on devices, as text elsewhere. */
function parseBody(data: unknown): unknown {
  if (typeof data !== "string") return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

export const wxSessionPlatform: SessionPlatform = {
  login: () =>
    new Promise<string>((resolve, reject) => {
      const sandboxCode = sandboxLoginCode(envVersion(), DEV_SANDBOX_OPENID);
      if (sandboxCode) return resolve(sandboxCode);
      wx.login({
        success: (res) => (res.code ? resolve(res.code) : reject(new Error(res.errMsg))),
        fail: (err) => reject(new Error(err.errMsg)),
      });
    }),
  load: (key) => {
    const value: unknown = wx.getStorageSync(key);
    return typeof value === "string" && value ? value : null;
  },
  save: (key, value) => wx.setStorageSync(key, value),
  remove: (key) => wx.removeStorageSync(key),
};

function envVersion(): string | undefined {
  try {
    return wx.getAccountInfoSync().miniProgram.envVersion;
  } catch {
    return undefined;
  }
}

/** wx.connectSocket as the live feed's socket (lib/lot-live.ts). */
export const wxSocket = (url: string) => {
  const task = wx.connectSocket({ url, timeout: 15_000 });
  return {
    onMessage: (cb: (data: string) => void) => task.onMessage((m) => cb(typeof m.data === "string" ? m.data : "")),
    onClose: (cb: () => void) => task.onClose(() => cb()),
    onError: (cb: () => void) => task.onError(() => cb()),
    close: () => task.close({}),
  };
};
