import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../http/problem";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { wechatPayConfig } from "../wechat/pay/client";
import { openNotification } from "../wechat/pay/notification";
import { fulfilPayment } from "../orders/fulfilment";
import { settleRefund } from "../orders/refunds";

/**
 * WeChat Pay notifications. The raw body is read as text and its signature verified before anything is parsed;
 * a refused signature is 401 and writes nothing. Success is 204 every time, however often WeChat repeats itself.
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791861
 */
/**
 * The decrypted resources, checked before anything is read from them: a signed but malformed resource is 400 and
 * writes nothing. Only what settlement relies on is required; WeChat's other fields pass through.
 */
const TransactionResource = z.looseObject({
  appid: z.string(), mchid: z.string(), out_trade_no: z.string().min(1).max(64), transaction_id: z.string().min(1).optional(),
  trade_state: z.enum(["SUCCESS", "REFUND", "NOTPAY", "CLOSED", "REVOKED", "USERPAYING", "PAYERROR"]),
  amount: z.looseObject({ total: z.number().int(), currency: z.string().optional() }),
});
const RefundResource = z.looseObject({
  mchid: z.string(), out_trade_no: z.string().min(1).max(64), out_refund_no: z.string().min(1).max(64), refund_id: z.string().min(1),
  refund_status: z.enum(["SUCCESS", "CLOSED", "PROCESSING", "ABNORMAL"]),
  amount: z.looseObject({ refund: z.number().int(), total: z.number().int().optional() }),
});

function resourceOf<T extends z.ZodType>(schema: T, resource: unknown): z.infer<T> {
  const parsed = schema.safeParse(resource);
  if (!parsed.success) {
    throw ApiError.badRequest("The decrypted notification resource is malformed.", parsed.error.issues.slice(0, 5).map((i) => ({ path: `resource.${i.path.join(".")}`, message: i.message })));
  }
  return parsed.data;
}

const notifyRoute = (path: string, summary: string) =>
  createRoute({
    method: "post",
    path,
    tags: ["pay"],
    summary,
    description: "Called by WeChat Pay, signed with Wechatpay-Signature/Timestamp/Nonce/Serial; the resource is AEAD_AES_256_GCM encrypted.",
    responses: { 204: { description: "Handled (also for a repeated notification)" }, ...problemResponses(400, 401, 409) },
  });

export const payRoutes = createRouter()
  .openapi(notifyRoute("/api/pay/notify", "Payment notification (TRANSACTION.SUCCESS)"), async (c) => {
    const config = wechatPayConfig(c.env);
    const n = await openNotification(config, c.req.raw.headers, await c.req.text());
    if (n.eventType !== "TRANSACTION.SUCCESS") {
      c.var.log.info("payment notification ignored", { eventType: n.eventType, id: n.id });
      return c.body(null, 204);
    }
    const outcome = await fulfilPayment(c.env.DB, config, resourceOf(TransactionResource, n.resource), c.var.log);
    c.var.log.info("payment notification", { id: n.id, outcome });
    return c.body(null, 204);
  })
  .openapi(notifyRoute("/api/pay/refund-notify", "Refund notification (REFUND.SUCCESS / ABNORMAL / CLOSED)"), async (c) => {
    const config = wechatPayConfig(c.env);
    const n = await openNotification(config, c.req.raw.headers, await c.req.text());
    if (!n.eventType.startsWith("REFUND.")) {
      c.var.log.info("refund notification ignored", { eventType: n.eventType, id: n.id });
      return c.body(null, 204);
    }
    const outcome = await settleRefund(c.env.DB, config, resourceOf(RefundResource, n.resource), c.var.log);
    c.var.log.info("refund notification", { id: n.id, outcome });
    return c.body(null, 204);
  });
