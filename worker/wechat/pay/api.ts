import { importPrivateKey, randomNonce, signSha256WithRsa, signatureMessage } from "./crypto";
import { beijingRfc3339 } from "../../calendar/beijing";
import { WechatPayError, wechatPayRequest, type WechatPayConfig } from "./client";

/** The WeChat Pay v3 endpoints the course shop uses (JSAPI = inside the mini-program). */

export type Transaction = {
  appid: string;
  mchid: string;
  out_trade_no: string;
  transaction_id?: string;
  trade_type?: string;
  trade_state: "SUCCESS" | "REFUND" | "NOTPAY" | "CLOSED" | "REVOKED" | "USERPAYING" | "PAYERROR";
  trade_state_desc?: string;
  success_time?: string;
  payer?: { openid?: string };
  amount?: { total?: number; payer_total?: number; currency?: string; payer_currency?: string };
};

export type Refund = {
  refund_id: string;
  out_refund_no: string;
  transaction_id?: string;
  out_trade_no: string;
  status: "SUCCESS" | "CLOSED" | "PROCESSING" | "ABNORMAL";
  success_time?: string;
  create_time?: string;
  amount: { total: number; refund: number; payer_total?: number; payer_refund?: number; currency?: string };
};

export type PrepayRequest = { description: string; outTradeNo: string; amountFen: number; openid: string; timeExpire: Date; notifyPath: string };

/** China Standard Time RFC 3339, the form WeChat Pay uses for time fields. */
export function rfc3339Cst(at: Date): string {
  return beijingRfc3339(at.getTime());
}

// https://pay.weixin.qq.com/doc/v3/merchant/4012791856
export async function jsapiPrepay(config: WechatPayConfig, r: PrepayRequest): Promise<string> {
  const res = await wechatPayRequest<{ prepay_id?: string }>(config, "POST", "/v3/pay/transactions/jsapi", {
    appid: config.appid,
    mchid: config.mchid,
    description: r.description.slice(0, 127),
    out_trade_no: r.outTradeNo,
    time_expire: rfc3339Cst(r.timeExpire),
    notify_url: new URL(r.notifyPath, config.notifyBaseUrl).toString(),
    amount: { total: r.amountFen, currency: "CNY" },
    payer: { openid: r.openid },
  });
  if (!res?.prepay_id) throw new WechatPayError(200, "NO_PREPAY_ID", "prepay answered without prepay_id");
  return res.prepay_id;
}

export type PayParams = { timeStamp: string; nonceStr: string; package: string; signType: "RSA"; paySign: string };

/** Parameters for `wx.requestPayment`: paySign = SHA256-RSA over `appId\ntimeStamp\nnonceStr\npackage\n`. */
export async function requestPaymentParams(config: Pick<WechatPayConfig, "appid" | "privateKeyPem">, prepayId: string, now = Date.now(), nonce = randomNonce()): Promise<PayParams> {
  const timeStamp = Math.floor(now / 1000).toString();
  const pkg = `prepay_id=${prepayId}`;
  const key = await importPrivateKey(config.privateKeyPem);
  const paySign = await signSha256WithRsa(key, signatureMessage(config.appid, timeStamp, nonce, pkg));
  return { timeStamp, nonceStr: nonce, package: pkg, signType: "RSA", paySign };
}

// https://pay.weixin.qq.com/doc/v3/merchant/4012791858 — `null` when WeChat has no such order.
export async function queryTransaction(config: WechatPayConfig, outTradeNo: string): Promise<Transaction | null> {
  try {
    return await wechatPayRequest<Transaction>(config, "GET", `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}?mchid=${encodeURIComponent(config.mchid)}`);
  } catch (e) {
    if (e instanceof WechatPayError && e.wechatCode === "ORDER_NOT_EXIST") return null;
    throw e;
  }
}

// https://pay.weixin.qq.com/doc/v3/merchant/4012791860 — answers 204; a paid order cannot be closed.
export async function closeTransaction(config: WechatPayConfig, outTradeNo: string): Promise<void> {
  await wechatPayRequest(config, "POST", `/v3/pay/transactions/out-trade-no/${encodeURIComponent(outTradeNo)}/close`, { mchid: config.mchid });
}

export type RefundRequest = { outTradeNo: string; outRefundNo: string; reason: string; refundFen: number; totalFen: number; notifyPath: string };

// https://pay.weixin.qq.com/doc/v3/merchant/4012791862 — the same out_refund_no is one refund, however often sent.
export async function createRefund(config: WechatPayConfig, r: RefundRequest): Promise<Refund> {
  const res = await wechatPayRequest<Refund>(config, "POST", "/v3/refund/domestic/refunds", {
    out_trade_no: r.outTradeNo,
    out_refund_no: r.outRefundNo,
    reason: r.reason.slice(0, 80),
    notify_url: new URL(r.notifyPath, config.notifyBaseUrl).toString(),
    amount: { refund: r.refundFen, total: r.totalFen, currency: "CNY" },
  });
  if (!res?.refund_id) throw new WechatPayError(200, "NO_REFUND_ID", "refund answered without refund_id");
  return res;
}

// https://pay.weixin.qq.com/doc/v3/merchant/4012791863 — `null` when WeChat never received the refund.
export async function queryRefund(config: WechatPayConfig, outRefundNo: string): Promise<Refund | null> {
  try {
    return await wechatPayRequest<Refund>(config, "GET", `/v3/refund/domestic/refunds/${encodeURIComponent(outRefundNo)}`);
  } catch (e) {
    if (e instanceof WechatPayError && e.wechatCode === "RESOURCE_NOT_EXISTS") return null;
    throw e;
  }
}

/**
 * https://pay.weixin.qq.com/doc/v3/merchant/4013070440 — a refund WeChat reports ABNORMAL (the member's card or
 * balance refused it) sits in an intermediate account until the merchant says where it goes:
 * `MERCHANT_BANK_CARD` sends it to the merchant's settlement account (the merchant then pays the member).
 */
export async function applyAbnormalRefund(config: WechatPayConfig, wechatRefundId: string, outRefundNo: string): Promise<Refund | null> {
  return wechatPayRequest<Refund>(config, "POST", `/v3/refund/domestic/refunds/${encodeURIComponent(wechatRefundId)}/apply-abnormal-refund`, {
    out_refund_no: outRefundNo,
    type: "MERCHANT_BANK_CARD",
  });
}
