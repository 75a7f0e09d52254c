import { createRoute, z } from "@hono/zod-openapi";
import { ApiError } from "../http/problem";
import { VISIBLE_TO_MEMBER } from "./eligibility";
import { listLimit, pageOf } from "../http/cursor";
import { identity, requireIdentity } from "../http/auth";
import { authorityStatement, principalFrom, type AuthorityRow } from "../http/authority";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter, refuseBeforeInputErrors, json } from "../http/router";
import { MemberRoundSchema, RoundId, SubscriptionSchema } from "./schemas";
import { subscribe as subscribeToRound } from "./subscribe";
import { OrderSchema, PayParamsSchema } from "../orders/views";
import { subscriptionView } from "./views";
import { visibleRound, listVisibleRounds } from "./visibility";
import { MySharesSchema, myShares } from "./shares";

const member = [{ bearer: [] }];

const RoundDetailSchema = MemberRoundSchema.extend({ mySubscriptions: z.array(SubscriptionSchema) }).openapi("RoundDetail");

const list = createRoute({
  method: "get",
  path: "/api/rounds",
  tags: ["crowdfunding"],
  summary: "Crowdfunding rounds open to your tier (private placement: nobody else sees them)",
  middleware: [requireIdentity] as const,
  security: member,
  request: { query: z.object({ limit: listLimit, cursor: z.string().max(200).optional() }) },
  responses: { 200: json(pageOf(MemberRoundSchema), "Visible rounds, newest first"), ...problemResponses(401, 422) },
});

const detail = createRoute({
  method: "get",
  path: "/api/rounds/{id}",
  tags: ["crowdfunding"],
  summary: "A round with shares sold and left, and your subscriptions; 404 unless your tier is eligible",
  middleware: [requireIdentity] as const,
  security: member,
  request: { params: z.object({ id: RoundId }) },
  responses: { 200: json(RoundDetailSchema, "The round"), ...problemResponses(401, 404, 422) },
});

/**
 * A member the round is not offered to gets 404 whatever they send, so not even a validation error tells them the
 * round exists. A well-formed request is refused by the subscription's own batch (no extra round trip); this check
 * runs only when the input was rejected.
 */
const offeredRoundOnly = refuseBeforeInputErrors(async (c) => {
  const who = identity(c);
  const d1 = c.env.DB;
  const [authority, seen] = await d1.batch([
    authorityStatement(d1, who.memberId),
    d1.prepare(`SELECT 1 AS seen FROM rounds r WHERE r.id = ?2 AND ${VISIBLE_TO_MEMBER}`).bind(who.memberId, (c.req.param("id") ?? "").slice(0, 64)),
  ]);
  principalFrom(who, authority.results[0] as AuthorityRow | undefined);
  if (seen.results.length === 0) throw ApiError.notFound("No such round.");
});

const SubscribeInput = z
  .object({
    shares: z.number().int().min(1).max(1_000_000),
    /** The risk disclosure version the member read and acknowledged. */
    disclosureVersion: z.number().int().min(1),
  })
  .strict()
  .openapi("SubscribeInput");

const SubscribedSchema = z.object({ subscription: SubscriptionSchema, order: OrderSchema, payParams: PayParamsSchema }).openapi("Subscribed");

const subscribe = createRoute({
  method: "post",
  path: "/api/rounds/{id}/subscriptions",
  tags: ["crowdfunding"],
  summary: "Reserve shares after acknowledging the risk disclosure",
  middleware: [requireIdentity, offeredRoundOnly, idempotency] as const,
  security: member,
  request: { headers: IdempotencyKeyHeader, params: z.object({ id: RoundId }), body: { required: true, content: { "application/json": { schema: SubscribeInput } } } },
  responses: {
    201: json(SubscribedSchema, "Shares reserved until the order's payment deadline; pay with wx.requestPayment(payParams)"),
    200: json(SubscribedSchema, "The reservation already waiting for its payment, with fresh payment parameters"),
    ...problemResponses(401, 404, 409, 422, 502),
  },
});

const shares = createRoute({
  method: "get",
  path: "/api/me/shares",
  tags: ["crowdfunding"],
  summary: "Your shares (cap table), subscriptions and dividends",
  middleware: [requireIdentity] as const,
  security: member,
  responses: { 200: json(MySharesSchema, "Your shares"), ...problemResponses(401) },
});

export const roundRoutes = createRouter()
  .openapi(list, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await listVisibleRounds(c.env.DB, identity(c), limit, cursor), 200);
  })
  .openapi(detail, async (c) => c.json(await visibleRound(c.env.DB, identity(c), c.req.valid("param").id), 200))
  .openapi(subscribe, async (c) => {
    const placed = await subscribeToRound(c.env, identity(c).memberId, c.req.valid("param").id, c.req.valid("json"));
    c.var.log.info("shares reserved", { subscriptionId: placed.subscription.id, orderId: placed.order.id, created: placed.created });
    return c.json({ subscription: subscriptionView(placed.subscription), order: placed.order, payParams: placed.payParams }, placed.created ? 201 : 200);
  })
  .openapi(shares, async (c) => c.json(await myShares(c.env.DB, identity(c)), 200));
