import { encryptSensitiveField } from "./crypto";
import { WechatPayError, wechatPayRequest, type WechatPayConfig } from "./client";

/**
 * WeChat Pay merchant transfers (商家转账, the 2025 "upgraded" API): money from the merchant to a member's
 * WeChat balance, confirmed by the member in the mini-program (`wx.requestMerchantTransfer`).
 * https://pay.weixin.qq.com/doc/v3/merchant/4012716434 (create) · 4012716437 (query) · 4012716458 (cancel)
 * · 4012712115 (notification). WeChat's rule: after an error or an unknown answer, query the SAME out_bill_no;
 * never create a new bill number for the same payout.
 */
export type TransferBillState =
  | "ACCEPTED" | "PROCESSING" | "WAIT_USER_CONFIRM" | "TRANSFERING" | "SUCCESS" | "FAIL" | "CANCELING" | "CANCELLED";

export const FINAL_TRANSFER_STATES: readonly TransferBillState[] = ["SUCCESS", "FAIL", "CANCELLED"];

export type TransferBill = {
  out_bill_no: string;
  transfer_bill_no?: string;
  state: TransferBillState;
  create_time?: string;
  update_time?: string;
  fail_reason?: string;
  package_info?: string;
  mch_id?: string;
  appid?: string;
  transfer_amount?: number;
  openid?: string;
};

/** The resource of a MCHTRANSFER.BILL.FINISHED notification, decrypted. */
export type TransferBillResource = {
  out_bill_no?: string;
  transfer_bill_no?: string;
  state?: string;
  mch_id?: string;
  transfer_amount?: number;
  openid?: string;
  fail_reason?: string;
  create_time?: string;
  update_time?: string;
};

export type TransferBillRequest = {
  outBillNo: string;
  openid: string;
  amountFen: number;
  remark: string;
  /** Required by WeChat from ¥2,000 per transfer; sent RSA-OAEP encrypted under the WeChat Pay public key. */
  realName?: string;
  sceneId: string;
  sceneReportInfos: { info_type: string; info_content: string }[];
  /** What the member sees as the reason for the money (用户收款感知), e.g. 佣金报酬. */
  userRecvPerception?: string;
  notifyPath: string;
};

/** The smallest merchant transfer WeChat makes (¥0.10, in fen). */
export const TRANSFER_MIN_FEN = 10;

/** WeChat amounts at which the payee's real name becomes mandatory (¥2,000, in fen). */
export const REAL_NAME_REQUIRED_FROM_FEN = 200_000;

export async function createTransferBill(config: WechatPayConfig, r: TransferBillRequest): Promise<TransferBill> {
  const headers: Record<string, string> = {};
  const body: Record<string, unknown> = {
    appid: config.appid,
    out_bill_no: r.outBillNo,
    transfer_scene_id: r.sceneId,
    openid: r.openid,
    transfer_amount: r.amountFen,
    transfer_remark: r.remark.slice(0, 32),
    notify_url: new URL(r.notifyPath, config.notifyBaseUrl).toString(),
    user_recv_perception: r.userRecvPerception,
    transfer_scene_report_infos: r.sceneReportInfos,
  };
  if (r.realName) {
    body.user_name = await encryptSensitiveField(config.publicKeyPem, r.realName);
    headers["Wechatpay-Serial"] = config.publicKeyId;
  }
  const res = await wechatPayRequest<TransferBill>(config, "POST", "/v3/fund-app/mch-transfer/transfer-bills", body, headers);
  if (!res?.state || res.out_bill_no !== r.outBillNo) throw new WechatPayError(200, "BAD_ANSWER", "transfer-bills answered without state or with another out_bill_no");
  return res;
}

/** `null` when WeChat has no bill with that number (it never received the create). */
export async function queryTransferBill(config: WechatPayConfig, outBillNo: string): Promise<TransferBill | null> {
  try {
    return await wechatPayRequest<TransferBill>(config, "GET", `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(outBillNo)}`);
  } catch (e) {
    if (e instanceof WechatPayError && e.wechatCode === "NOT_FOUND") return null;
    throw e;
  }
}

/** Cancels a bill the member has not confirmed; WeChat answers CANCELING, then notifies CANCELLED. */
export async function cancelTransferBill(config: WechatPayConfig, outBillNo: string): Promise<TransferBill> {
  const res = await wechatPayRequest<TransferBill>(config, "POST", `/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/${encodeURIComponent(outBillNo)}/cancel`, {});
  if (!res?.state) throw new WechatPayError(200, "BAD_ANSWER", "cancel answered without state");
  return res;
}
