/**
 * The WeChat calls of the shop (payment, platform, fetching an article body), wrapped as promises so the
 * plain modules and the pages stay testable.
 */
import type { PayParams, PaymentOutcome } from "./purchase";
import { paymentOutcome } from "./purchase";

export function requestPayment(params: PayParams): Promise<PaymentOutcome> {
  return new Promise((resolve) => {
    wx.requestPayment({
      timeStamp: params.timeStamp,
      nonceStr: params.nonceStr,
      package: params.package,
      signType: params.signType,
      paySign: params.paySign,
      success: (res) => resolve(paymentOutcome(res.errMsg)),
      fail: (err) => resolve(paymentOutcome(err.errMsg || "requestPayment:fail")),
    });
  });
}

/** "ios", "android", "devtools", "windows", "mac", …; wx.getDeviceInfo where the base library has it. */
export function platform(): string {
  try {
    if (typeof wx.getDeviceInfo === "function") return wx.getDeviceInfo().platform;
    return wx.getSystemInfoSync().platform;
  } catch {
    return "";
  }
}

/** GETs a text body (an article from its signed link): no token, the signature is the credential. */
export function fetchText(url: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    wx.request({
      url,
      method: "GET",
      dataType: "其他",
      responseType: "text",
      timeout: 15_000,
      success: (res) => resolve({ status: res.statusCode, body: typeof res.data === "string" ? res.data : JSON.stringify(res.data) }),
      fail: (err) => reject(new Error(err.errMsg)),
    });
  });
}
