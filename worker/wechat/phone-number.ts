import { ACCESS_TOKEN_ERRCODES, getAccessToken } from "./access-token";
import type { WechatConfig } from "./code2session";
import { WechatError, wechatFetchJson, wechatUnavailable } from "./errors";

type PhoneAnswer = { phone_info?: { phoneNumber?: string; purePhoneNumber?: string; countryCode?: string } };

/**
 * The phone number behind a `getPhoneNumber` button's code. An access token WeChat no longer accepts is
 * refreshed once and the call retried.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html
 */
export async function getPhoneNumber(d1: D1Database, config: WechatConfig, code: string): Promise<{ phoneNumber: string; countryCode: string }> {
  const call = async (accessToken: string) => {
    const url = new URL("/wxa/business/getuserphonenumber", config.apiBase);
    url.searchParams.set("access_token", accessToken);
    return wechatFetchJson<PhoneAnswer>(url.toString(), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
  };
  let answer: PhoneAnswer;
  try {
    answer = await call(await getAccessToken(d1, config));
  } catch (e) {
    if (!(e instanceof WechatError && e.errcode !== undefined && ACCESS_TOKEN_ERRCODES.includes(e.errcode))) throw e;
    answer = await call(await getAccessToken(d1, config, { forceRefresh: true }));
  }
  const info = answer.phone_info;
  const phoneNumber = info?.purePhoneNumber || info?.phoneNumber;
  if (!phoneNumber) throw wechatUnavailable("getuserphonenumber answered without a number");
  return { phoneNumber, countryCode: info?.countryCode ?? "86" };
}
