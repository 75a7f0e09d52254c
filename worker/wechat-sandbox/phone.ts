import { Hono } from "hono";
import { injectedFailure, type SandboxEnv } from "./conventions";
import { isCurrentToken } from "./token";

/**
 * getuserphonenumber: the code of a `getPhoneNumber` button. A code `sandbox-phone:<digits>` answers that
 * number; an access token the sandbox did not issue (or that expired) answers 40001, like WeChat.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
 */
export const phone = new Hono<SandboxEnv>().post("/wxa/business/getuserphonenumber", async (c) => {
  const body = await c.req.json<{ code?: string }>().catch(() => null); // read first: workerd wants the body consumed
  if (!isCurrentToken(c.req.query("access_token"))) return c.json({ errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" });
  const injected = injectedFailure(c, body?.code);
  if (injected) return injected;
  const m = /^sandbox-phone:(\d{5,15})$/.exec(body?.code ?? "");
  if (!m) return c.json({ errcode: 40029, errmsg: "invalid code" });
  return c.json({
    errcode: 0,
    errmsg: "ok",
    phone_info: { phoneNumber: m[1], purePhoneNumber: m[1], countryCode: "86", watermark: { timestamp: Math.floor(Date.now() / 1000), appid: c.env.WECHAT_APPID } },
  });
});
