/** WeChat's receipt page for a merchant transfer (商家转账 确认收款), wrapped as a promise. */
import { confirmOutcome, type ConfirmOutcome, type TransferParams } from "./withdrawal";

export function requestMerchantTransfer(params: TransferParams): Promise<ConfirmOutcome> {
  return new Promise((resolve) => {
    if (typeof wx.requestMerchantTransfer !== "function") {
      resolve({ ok: false, cancelled: false, errMsg: "requestMerchantTransfer:fail 微信版本过低" });
      return;
    }
    wx.requestMerchantTransfer({
      mchId: params.mchId,
      appId: params.appId,
      package: params.package,
      success: (res) => resolve(confirmOutcome((res as { errMsg?: string }).errMsg)),
      fail: (err) => resolve(confirmOutcome(err.errMsg || "requestMerchantTransfer:fail")),
    });
  });
}
