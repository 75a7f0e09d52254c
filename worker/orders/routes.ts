import { listLimit, pageOf } from "../http/cursor";
import { createRoute, z } from "@hono/zod-openapi";
import { identity, requireIdentity, requireMember } from "../http/auth";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { placeCourseOrder } from "../courses/order-kind";
import { getOwnOrder, listOwnOrders, payAgain } from "./service";
import { OrderSchema, PayParamsSchema } from "./views";

const PlacedSchema = z.object({ order: OrderSchema, payParams: PayParamsSchema }).openapi("PlacedOrder");

const place = createRoute({
  method: "post",
  path: "/api/orders",
  tags: ["orders"],
  summary: "Order a course and get wx.requestPayment parameters (reuses the open order for the same course)",
  security: [{ bearer: [] }],
  middleware: [requireIdentity, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { "application/json": { schema: z.object({ courseId: z.string().min(1).max(64) }) } } } },
  responses: {
    201: { description: "A new order", content: { "application/json": { schema: PlacedSchema } } },
    200: { description: "The open order for this course, with fresh payment parameters", content: { "application/json": { schema: PlacedSchema } } },
    ...problemResponses(401, 403, 404, 409, 422, 502),
  },
});

const pay = createRoute({
  method: "post",
  path: "/api/orders/{id}/pay",
  tags: ["orders"],
  summary: "Pay again for one of your open orders (any kind): fresh wx.requestPayment parameters for the same out_trade_no",
  description:
    "An order that lives longer than the 2 h of a prepay_id gets a new prepay_id here; the order and its amount do not change. " +
    "Safe to repeat (it moves no money), so it takes no Idempotency-Key: a replayed answer could carry an expired prepay_id.",
  security: [{ bearer: [] }],
  middleware: [requireMember] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: {
    200: { description: "The open order, with fresh payment parameters", content: { "application/json": { schema: PlacedSchema } } },
    ...problemResponses(401, 404, 409, 422, 502),
  },
});

const getOne = createRoute({
  method: "get",
  path: "/api/orders/{id}",
  tags: ["orders"],
  summary: "One of your orders, with its refunds",
  security: [{ bearer: [] }],
  middleware: [requireIdentity] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }) },
  responses: { 200: { description: "The order", content: { "application/json": { schema: OrderSchema } } }, ...problemResponses(401, 403, 404, 422) },
});

const list = createRoute({
  method: "get",
  path: "/api/orders",
  tags: ["orders"],
  summary: "Your orders, newest first",
  security: [{ bearer: [] }],
  middleware: [requireIdentity] as const,
  request: { query: z.object({ limit: listLimit, cursor: z.string().max(200).optional() }) },
  responses: {
    200: { description: "A page of orders", content: { "application/json": { schema: pageOf(OrderSchema) } } },
    ...problemResponses(401, 403, 422),
  },
});

export const orderRoutes = createRouter()
  .openapi(place, async (c) => {
    const { courseId } = c.req.valid("json");
    const placed = await placeCourseOrder(c.env, c.var.db, identity(c), courseId);
    c.var.log.info("order placed", { orderId: placed.order.id, created: placed.created });
    return c.json({ order: placed.order, payParams: placed.payParams }, placed.created ? 201 : 200);
  })
  .openapi(pay, async (c) => c.json(await payAgain(c.env, identity(c).memberId, c.req.valid("param").id), 200))
  .openapi(getOne, async (c) => c.json(await getOwnOrder(c.env.DB, identity(c).memberId, c.req.valid("param").id), 200))
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listOwnOrders(c.env.DB, identity(c).memberId, limit, cursor), 200);
  });
