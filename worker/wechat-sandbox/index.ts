import { Hono } from "hono";
import { payRoutes, type PaySandboxBindings } from "./pay";

/**
 * The WeChat sandbox: a stand-in for api.weixin.qq.com (and, later, api.mch.weixin.qq.com) that speaks
 * the same protocol, so the product's real client code is what tests and the demo exercise.
 */
type SandboxEnv = { Bindings: { WECHAT_APPID: string; WECHAT_SECRET: string } & PaySandboxBindings };

const app = new Hono<SandboxEnv>();

// https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
app.get("/sns/jscode2session", (c) => {
  const { appid, secret, js_code, grant_type } = c.req.query();
  if (appid !== c.env.WECHAT_APPID || secret !== c.env.WECHAT_SECRET) return c.json({ errcode: 40013, errmsg: "invalid appid" });
  if (grant_type !== "authorization_code") return c.json({ errcode: 40002, errmsg: "invalid grant_type" });
  const m = /^sandbox:([A-Za-z0-9_-]{1,64})$/.exec(js_code ?? "");
  if (!m) return c.json({ errcode: 40029, errmsg: "invalid code" });
  return c.json({ openid: m[1], session_key: btoa(m[1]).slice(0, 24) });
});

app.route("/", payRoutes);

app.all("*", (c) => c.json({ errcode: 404, errmsg: `sandbox has no ${c.req.method} ${c.req.path}` }, 404));

export default app;
