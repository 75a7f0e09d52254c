import { Hono } from "hono";
import { injectedFailure, type SandboxEnv } from "./conventions";

/**
 * jscode2session: a code `sandbox:<openid>` logs in as that openid; any other code is errcode 40029.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
 */
export const login = new Hono<SandboxEnv>().get("/sns/jscode2session", (c) => {
  const { appid, secret, js_code, grant_type } = c.req.query();
  const injected = injectedFailure(c, js_code);
  if (injected) return injected;
  if (appid !== c.env.WECHAT_APPID || secret !== c.env.WECHAT_SECRET) return c.json({ errcode: 40013, errmsg: "invalid appid" });
  if (grant_type !== "authorization_code") return c.json({ errcode: 40002, errmsg: "invalid grant_type" });
  const m = /^sandbox:([A-Za-z0-9_-]{1,64})$/.exec(js_code ?? "");
  if (!m) return c.json({ errcode: 40029, errmsg: "invalid code" });
  // A unionid exists only for apps bound to an open-platform account; the sandbox gives one to `u-` openids.
  const unionid = m[1].startsWith("u-") ? { unionid: `union-${m[1]}` } : {};
  return c.json({ openid: m[1], session_key: btoa(m[1].padEnd(16, "=")).slice(0, 24), ...unionid });
});
