import { createRoute } from "@hono/zod-openapi";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { wechatPayConfig } from "../wechat/pay/client";
import { openNotification } from "../wechat/pay/notification";
import type { Transaction } from "../wechat/pay/api";
import { fulfilPayment } from "../orders/fulfilment";
import { settleRefund } from "../orders/refunds";

/**
 * WeChat Pay notifications. The raw body is read as text and its signature verified before anything is parsed;
 * a refused signature is 401 and writes nothing. Success is 204 every time, however often WeChat repeats itself.
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791861
 */
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
    const outcome = await fulfilPayment(c.env.DB, config, n.resource as Transaction, c.var.log);
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
    const outcome = await settleRefund(c.env.DB, config, n.resource as Parameters<typeof settleRefund>[2], c.var.log);
    c.var.log.info("refund notification", { id: n.id, outcome });
    return c.body(null, 204);
  });
