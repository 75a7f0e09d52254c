import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { principal, requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter, json } from "../http/router";
import { adminLotDetail, createLot, listAllLots, type Actor } from "./admin";
import { LOT_IMAGE_TYPES, uploadLotImage } from "./images";
import { LotIdParam, LotImage, LotInput, LotsQuery } from "./schemas";
import { pageOf } from "../http/cursor";

const admin = { tags: ["admin · auctions"], middleware: [requireAdmin], security: [{ bearer: [] }] };
const errors = problemResponses(401, 403, 404, 422);

const AdminLot = z
  .object({
    id: z.string(),
    title: z.string(),
    state: z.enum(["upcoming", "live", "ended"]),
    status: z.enum(["open", "sold", "unsold"]),
    startPriceFen: z.number().int(),
    reservePriceFen: z.number().int().nullable(),
    currentPriceFen: z.number().int().nullable(),
    bidCount: z.number().int(),
    startsAt: z.string(),
    endsAt: z.string(),
    leaderMemberId: z.string().nullable(),
    winnerMemberId: z.string().nullable(),
    hammerPriceFen: z.number().int().nullable(),
    endedAt: z.string().nullable(),
    commissionable: z.boolean(),
  })
  .passthrough()
  .openapi("AdminLot");

export function lotActor(c: Context<AppEnv>): Actor {
  const p = principal(c);
  return { actorId: p.adminId ?? p.memberId, requestId: c.var.requestId };
}

const create = createRoute({
  ...admin,
  method: "post",
  path: "/api/admin/lots",
  middleware: [requireAdmin, idempotency],
  summary: "Create an auction lot (audited); its auction object schedules the end",
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { "application/json": { schema: LotInput } } } },
  responses: { 201: json(AdminLot, "Created"), ...errors },
});
const list = createRoute({
  ...admin,
  method: "get",
  path: "/api/admin/lots",
  summary: "Every lot, newest first",
  request: { query: LotsQuery.omit({ state: true }) },
  responses: { 200: json(pageOf(AdminLot), "A page of lots"), ...errors },
});
const one = createRoute({
  ...admin,
  method: "get",
  path: "/api/admin/lots/{id}",
  summary: "A lot with its bid history (as flushed to D1), images and sale",
  request: { params: LotIdParam },
  responses: { 200: json(z.object({ lot: AdminLot, bids: z.array(z.any()), images: z.array(LotImage), sale: z.any() }), "The lot"), ...errors },
});
const addImage = createRoute({
  ...admin,
  method: "put",
  path: "/api/admin/lots/{id}/images",
  summary: "Add a picture to a lot (raw body; appended after the others)",
  request: {
    params: LotIdParam,
    body: { required: true, content: Object.fromEntries(LOT_IMAGE_TYPES.map((t) => [t, { schema: z.string().openapi({ format: "binary" }) }])) },
  },
  responses: { 201: json(LotImage, "Stored"), ...problemResponses(401, 403, 404, 413, 415, 422) },
});

export const lotAdminRoutes = createRouter()
  .openapi(create, async (c) => c.json(await createLot(c.var.db, c.env, lotActor(c), c.req.valid("json")), 201))
  .openapi(list, async (c) => c.json(await listAllLots(c.var.db, c.req.valid("query")), 200))
  .openapi(one, async (c) => c.json(await adminLotDetail(c.var.db, c.req.valid("param").id), 200))
  .openapi(addImage, async (c) => {
    const bytes = await c.req.arrayBuffer();
    const image = await uploadLotImage(c.var.db, lotActor(c), c.env.MEDIA, c.req.valid("param").id, c.req.header("content-type") ?? "", bytes);
    return c.json(image, 201);
  });
