import { auditStatementIf } from "../audit/log";
import type { Logger } from "../http/log";
import { ApiError } from "../http/problem";
import { WechatPayError, type WechatPayConfig } from "../wechat/pay/client";
import { applyAbnormalRefund } from "../wechat/pay/api";

/**
 * An admin resolves an ABNORMAL refund (退款异常): WeChat is told to send the money on (apply-abnormal-refund), and
 * the refund goes back to processing — still reserved — so the refund notification or the refund job settles it.
 */
export async function resolveAbnormalRefund(d1: D1Database, config: WechatPayConfig, orderId: string, refundId: string, by: { adminId: string; requestId?: string }, log: Logger): Promise<void> {
  const refund = await d1.prepare("SELECT id, status, wechat_refund_id FROM refunds WHERE id = ? AND order_id = ?").bind(refundId, orderId)
    .first<{ id: string; status: string; wechat_refund_id: string | null }>();
  if (!refund) throw ApiError.notFound("No such refund.");
  if (refund.status !== "abnormal" || !refund.wechat_refund_id) throw ApiError.conflict("refund-not-abnormal", `Refund ${refund.id} is ${refund.status}, not abnormal.`);
  try {
    await applyAbnormalRefund(config, refund.wechat_refund_id, refund.id);
  } catch (e) {
    if (e instanceof WechatPayError) throw new ApiError(502, "upstream-error", `WeChat Pay refused the abnormal refund: ${e.wechatCode}.`);
    throw e;
  }
  const t = Date.now();
  await d1.batch([
    d1.prepare("UPDATE refunds SET status = 'processing' WHERE id = ? AND status = 'abnormal'").bind(refund.id),
    auditStatementIf(d1, {
      actorId: by.adminId, actorKind: "admin", action: "order.abnormal_refund_applied", targetType: "order", targetId: orderId, requestId: by.requestId,
      before: { refundId: refund.id, status: "abnormal" }, after: { refundId: refund.id, status: "processing", to: "MERCHANT_BANK_CARD" },
    }, "changes() = 1"),
  ]);
  log.info("abnormal refund applied", { refundId: refund.id, at: t });
}
