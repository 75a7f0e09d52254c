import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { identity, optionalIdentity, principal, requireIdentity, requireMember } from "../http/auth";
import { memberBlocked } from "../http/authority";
import type { AppEnv } from "../http/context";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { OrderSchema, PayParamsSchema } from "../orders/views";
import { placeDepositOrder, placePurchaseOrder } from "./orders";
import { ApiError, problemResponses } from "../http/problem";
import { createRouter, json } from "../http/router";
import { lotAdminRoutes } from "./admin-routes";
import { lotDetail, listLots } from "./catalog";
import { serveLotImage } from "./images";
import type { BidAnswer } from "./lot-object";
import { MyLotPage, MyLotsQuery, myLots, setShippingAddress, ShippingAddress } from "./my-lots";
import { BidAccepted, BidInput, BidRefused, LiveMessage, LotDetail, LotIdParam, LotPage, LotsQuery } from "./schemas";


const list = createRoute({
  method: "get",
  path: "/api/lots",
  tags: ["auctions"],
  summary: "Auction lots (live, upcoming or ended) with current price, end time and bid count",
  request: { query: LotsQuery },
  responses: { 200: json(LotPage, "A page of lots"), ...problemResponses(422) },
});

const detail = createRoute({
  method: "get",
  path: "/api/lots/{id}",
  tags: ["auctions"],
  summary: "A lot with its live standing; `leading` for a logged-in caller",
  middleware: [optionalIdentity],
  request: { params: LotIdParam },
  responses: { 200: json(LotDetail, "The lot"), ...problemResponses(401, 404, 422) },
});

const bid = createRoute({
  method: "post",
  path: "/api/lots/{id}/bids",
  tags: ["auctions"],
  summary: "Bid on a live lot (needs the lot's deposit); `maxFen` makes it a proxy bid",
  description:
    "Judged by the lot's single auction object, in arrival order. Idempotency-Key is kept by that object (a retried bid is " +
    "judged once). A bid in the anti-sniping window extends the end (`endsAt`). The object checks the bidder (exists, not " +
    "blocked, holds the deposit) with one D1 read and trusts it for a minute, so bids do not wait on D1.",
  middleware: [requireIdentity],
  security: [{ bearer: [] }],
  request: { headers: IdempotencyKeyHeader, params: LotIdParam, body: { required: true, content: { "application/json": { schema: BidInput } } } },
  responses: {
    200: json(BidAccepted, "Accepted: the caller leads"),
    409: { description: "Outbid, too low, closed, not started or no deposit", content: { "application/problem+json": { schema: BidRefused } } },
    ...problemResponses(401, 403, 404, 422),
  },
});

const live = createRoute({
  method: "get",
  path: "/api/lots/{id}/live",
  tags: ["auctions"],
  summary: "WebSocket of the lot's live standing",
  description:
    "Upgrade to a WebSocket: the server sends a `LotLiveMessage` at once and after every price change or end (price, masked leader, " +
    "bid count, end time). Send `ping` to get `pong`. Without `Upgrade: websocket` the answer is a 426 problem.",
  request: { params: LotIdParam },
  responses: {
    101: { description: "Switching protocols; messages are LotLiveMessage JSON", content: { "application/json": { schema: LiveMessage } } },
    426: { description: "Not a WebSocket upgrade", content: { "application/problem+json": { schema: z.any() } } },
    ...problemResponses(404, 422),
  },
});

const image = createRoute({
  method: "get",
  path: "/lot-images/{lotId}/{imageId}",
  tags: ["auctions"],
  summary: "A lot's picture (public and cacheable: a key never changes its bytes)",
  request: {
    params: z.object({
      lotId: z.string().min(1).max(64).openapi({ param: { name: "lotId", in: "path" } }),
      imageId: z.string().min(1).max(64).openapi({ param: { name: "imageId", in: "path" } }),
    }),
  },
  responses: {
    200: { description: "The image", content: { "image/*": { schema: z.any() } } },
    304: { description: "Not modified" },
    ...problemResponses(404),
  },
});

const mine = createRoute({
  method: "get",
  path: "/api/me/lots",
  tags: ["auctions"],
  summary: "我的竞拍: lots I bid on (still open), won, to pay, shipped",
  middleware: [requireMember],
  security: [{ bearer: [] }],
  request: { query: MyLotsQuery },
  responses: { 200: json(MyLotPage, "A page of my lots"), ...problemResponses(401, 422) },
});

const address = createRoute({
  method: "put",
  path: "/api/lots/{id}/shipping-address",
  tags: ["auctions"],
  summary: "The winner's shipping address (from wx.chooseAddress), until the work ships",
  middleware: [requireMember],
  security: [{ bearer: [] }],
  request: { params: LotIdParam, body: { required: true, content: { "application/json": { schema: ShippingAddress } } } },
  responses: { 200: json(ShippingAddress, "Stored"), ...problemResponses(401, 404, 409, 422) },
});

const PlacedOrder = z.object({ order: OrderSchema, payParams: PayParamsSchema });
const placed = (summary: string, description: string) => ({
  method: "post" as const,
  tags: ["auctions"],
  summary,
  description,
  middleware: [requireMember, idempotency],
  security: [{ bearer: [] }],
  request: { headers: IdempotencyKeyHeader, params: LotIdParam },
  responses: {
    201: json(PlacedOrder, "A new order with wx.requestPayment parameters"),
    200: json(PlacedOrder, "The open order, with fresh payment parameters"),
    ...problemResponses(401, 404, 409, 422, 502),
  },
});
const deposit = createRoute({
  ...placed("Pay the lot's deposit (保证金): an auction_deposit order", "Needed before the first bid. 409 when the lot is over, asks no deposit, or the deposit is already paid."),
  path: "/api/lots/{id}/deposit",
});
const purchase = createRoute({
  ...placed("The winner pays the hammer price: an auction_purchase order", "Until the payment deadline (then the deposit is forfeited). 404 to anyone but the winner."),
  path: "/api/lots/{id}/purchase",
});

const REFUSALS: Record<Extract<BidAnswer, { status: 409 }>["code"], string> = {
  outbid: "Another bidder's earlier or higher maximum is ahead of this bid.",
  "bid-too-low": "The bid is below the next valid amount (nextMinFen).",
  "lot-closed": "Bidding on this lot has ended.",
  "lot-not-started": "Bidding on this lot has not started yet.",
  "deposit-required": "Pay this lot's deposit (保证金) before bidding.",
  "idempotency-key-reused": "This Idempotency-Key was already used for a different bid.",
};

/** A 409 problem that also carries the lot's standing, so the client can show the next valid amount at once. */
function refusedResponse(c: Context<AppEnv>, answer: Extract<BidAnswer, { status: 409 }>) {
  const { status, code, ...standing } = answer;
  const body = {
    type: `/problems/${code}`,
    title: code === "outbid" ? "Outbid" : "Bid refused",
    status,
    detail: REFUSALS[code],
    instance: new URL(c.req.url).pathname,
    requestId: c.var.requestId,
    ...standing,
  };
  return c.body(JSON.stringify(body), 409, { "content-type": "application/problem+json; charset=utf-8" });
}

export const lotRoutes = createRouter()
  .openapi(list, async (c) => c.json(await listLots(c.var.db, c.req.valid("query")), 200))
  .openapi(detail, async (c) => c.json(await lotDetail(c.var.db, c.env, c.req.valid("param").id, c.var.identity?.memberId), 200))
  .openapi(bid, async (c) => {
    const { id } = c.req.valid("param");
    const { amountFen, maxFen } = c.req.valid("json");
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    const answer = await c.env.LOT_AUCTIONS.getByName(id).placeBid({ lotId: id, memberId: identity(c).memberId, amountFen, maxFen, idempotencyKey });
    if (answer.status === 404) throw ApiError.notFound("No such lot.");
    if (answer.status === 401) throw ApiError.unauthorized("This member no longer exists; log in again.");
    if (answer.status === 403) throw memberBlocked();
    if (answer.status === 409) return refusedResponse(c, answer) as never;
    const { status, ...body } = answer;
    return c.json(body, status);
  })
  .openapi(live, async (c) => {
    const { id } = c.req.valid("param");
    if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
      throw new ApiError(426, "upgrade-required", "This is a WebSocket: connect with Upgrade: websocket.", undefined, "Upgrade required");
    }
    const url = new URL(c.req.url);
    url.searchParams.set("lot", id);
    const res = await c.env.LOT_AUCTIONS.getByName(id).fetch(new Request(url, c.req.raw));
    if (res.status === 404) throw ApiError.notFound("No such lot.");
    return res as never;
  })
  .openapi(image, async (c) => {
    const { lotId, imageId } = c.req.valid("param");
    return serveLotImage(c.env.MEDIA, lotId, imageId, c.req.header("if-none-match")) as never;
  })
  .openapi(deposit, async (c) => {
    const order = await placeDepositOrder(c.env, principal(c), c.req.valid("param").id);
    return c.json({ order: order.order, payParams: order.payParams }, order.created ? 201 : 200);
  })
  .openapi(purchase, async (c) => {
    const order = await placePurchaseOrder(c.env, c.var.db, principal(c), c.req.valid("param").id);
    return c.json({ order: order.order, payParams: order.payParams }, order.created ? 201 : 200);
  })
  .openapi(mine, async (c) => c.json(await myLots(c.var.db, principal(c).memberId, c.req.valid("query")), 200))
  .openapi(address, async (c) => c.json(await setShippingAddress(c.var.db, principal(c).memberId, c.req.valid("param").id, c.req.valid("json")), 200))
  .route("/", lotAdminRoutes);
