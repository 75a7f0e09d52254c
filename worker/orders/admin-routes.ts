import { createRoute, z } from "@hono/zod-openapi";
import { principal, requireAdmin } from "../http/auth";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { wechatPayConfig } from "../wechat/pay/client";
import { requestRefund } from "./refunds";
import { OrderSchema, RefundSchema } from "./views";

/** What an admin sends to refund; the console's refund form is checked against the same schema. */
export const RefundInput = z.object({ amountFen: z.number().int().positive().max(100_000_000).optional(), reason: z.string().trim().min(1).max(80) });

const refund = createRoute({
  method: "post",
  path: "/api/admin/orders/{id}/refund",
  tags: ["admin", "orders"],
  summary: "Refund an order in full (no amountFen) or in part, through WeChat Pay",
  security: [{ bearer: [] }],
  middleware: [requireAdmin, idempotency] as const,
  request: {
    headers: IdempotencyKeyHeader,
    params: z.object({ id: z.string().min(1).max(64) }),
    body: {
      required: true,
      content: { "application/json": { schema: RefundInput } },
    },
  },
  responses: {
    202: { description: "Refund requested; the refund notification completes it", content: { "application/json": { schema: z.object({ refund: RefundSchema, order: OrderSchema }) } } },
    ...problemResponses(401, 403, 404, 409, 422, 502),
  },
});

export const adminOrderRoutes = createRouter().openapi(refund, async (c) => {
  const { amountFen, reason } = c.req.valid("json");
  const result = await requestRefund(c.env.DB, wechatPayConfig(c.env), c.req.valid("param").id, amountFen, reason, { adminId: principal(c).adminId ?? principal(c).memberId, requestId: c.var.requestId }, c.var.log);
  return c.json(result, 202);
});
