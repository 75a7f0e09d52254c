import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { principal, requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter, json, jsonBody } from "../http/router";
import { createRound, listRounds, openRound, patchRound } from "./admin";
import { capTable, capTableCsv, roundForAdmin } from "./admin-queries";
import type { Actor } from "./audit";
import { closeRound } from "./closing";
import { allocateToPool, declareDividend, listDeclarations } from "./dividends";
import { AdminRoundSchema, RoundId, RoundInput, RoundPatch, SubscriptionSchema } from "./schemas";

const admin = [{ bearer: [] }];
const idParam = z.object({ id: RoundId });

export function adminActor(c: Context<AppEnv>): Actor {
  const p = principal(c);
  return { actorId: p.adminId ?? p.memberId, actorKind: "admin", requestId: c.var.requestId };
}

const route = <R extends Parameters<typeof createRoute>[0]>(r: R) => createRoute({ tags: ["admin", "crowdfunding"], security: admin, ...r });

const list = route({ method: "get", path: "/api/admin/rounds", summary: "Every round, drafts included", middleware: [requireAdmin] as const, responses: { 200: json(z.object({ items: z.array(AdminRoundSchema) }), "Rounds"), ...problemResponses(401, 403) } });
const create = route({
  method: "post", path: "/api/admin/rounds", summary: "Create a round (a draft)", middleware: [requireAdmin, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, body: jsonBody(RoundInput) },
  responses: { 201: json(AdminRoundSchema, "The draft round"), ...problemResponses(401, 403, 409, 422) },
});
const AdminRoundDetailSchema = z
  .object({
    round: AdminRoundSchema,
    subscribers: z.array(SubscriptionSchema.extend({ nickname: z.string(), orderStatus: z.string().nullable() })),
    history: z.array(z.object({ from: z.string().nullable(), to: z.string(), actorId: z.string(), reason: z.string(), at: z.string() })),
    refunds: z.array(
      z.object({ id: z.string(), orderId: z.string(), memberId: z.string(), amountFen: z.number().int(), status: z.string(), reason: z.string(), createdAt: z.string(), settledAt: z.string().nullable() }),
    ),
  })
  .openapi("AdminRoundDetail");

const getOne = route({
  method: "get", path: "/api/admin/rounds/{id}", summary: "A round with its subscribers and state history", middleware: [requireAdmin] as const,
  request: { params: idParam },
  responses: { 200: json(AdminRoundDetailSchema, "The round"), ...problemResponses(401, 403, 404, 422) },
});
const patch = route({
  method: "patch", path: "/api/admin/rounds/{id}", summary: "Change a draft round's terms", middleware: [requireAdmin] as const,
  request: { params: idParam, body: jsonBody(RoundPatch) },
  responses: { 200: json(AdminRoundSchema, "The round"), ...problemResponses(401, 403, 404, 409, 422) },
});
const open = route({
  method: "post", path: "/api/admin/rounds/{id}/open", summary: "Open a draft round for subscriptions", middleware: [requireAdmin, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, params: idParam },
  responses: { 200: json(AdminRoundSchema, "The open round"), ...problemResponses(401, 403, 404, 409, 422) },
});
const close = route({
  method: "post", path: "/api/admin/rounds/{id}/close", summary: "Close a round early once its target is met", middleware: [requireAdmin, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, params: idParam },
  responses: { 200: json(AdminRoundSchema, "The closed round"), ...problemResponses(401, 403, 404, 409, 422) },
});
const caps = route({
  method: "get", path: "/api/admin/cap-table", summary: "The cap table (`?format=csv` for a CSV export)", middleware: [requireAdmin] as const,
  request: { query: z.object({ format: z.enum(["json", "csv"]).default("json") }) },
  responses: { 200: { description: "The cap table", content: { "application/json": { schema: z.any() }, "text/csv": { schema: z.string() } } }, ...problemResponses(401, 403, 422) },
});

export const AllocationInput = z
  .object({ amountFen: z.number().int().positive().max(10_000_000_000), reason: z.string().trim().min(1).max(200), source: z.enum(["revenue_course", "revenue_auction"]).default("revenue_course") })
  .strict()
  .openapi("DividendAllocationInput");
export const DeclarationInput = z
  .object({
    amountFen: z.number().int().positive().max(10_000_000_000),
    period: z.string().regex(/^[0-9A-Za-z_-]{1,32}$/).openapi({ example: "2026-Q4" }),
    roundId: RoundId.optional(),
  })
  .strict()
  .openapi("DividendDeclarationInput");

const allocate = route({
  method: "post", path: "/api/admin/dividend-pool/allocations", summary: "Allocate profit from recognised revenue to the dividend pool", middleware: [requireAdmin, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, body: jsonBody(AllocationInput) },
  responses: { 201: json(z.object({ id: z.string(), amountFen: z.number().int(), reason: z.string(), source: z.string() }), "Allocated"), ...problemResponses(401, 403, 409, 422) },
});
const DeclarationSchema = z.object({ id: z.string(), period: z.string(), roundId: z.string().nullable(), amountFen: z.number().int(), totalShares: z.number().int(), holderCount: z.number().int(), status: z.enum(["paying", "paid"]), createdAt: z.string(), completedAt: z.string().nullable() }).openapi("DividendDeclaration");
const declare = route({
  method: "post", path: "/api/admin/dividends", summary: "Declare a dividend for a period and pay it into each holder's dividends payable (repeat to resume)", middleware: [requireAdmin, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, body: jsonBody(DeclarationInput) },
  responses: { 200: json(DeclarationSchema, "The declaration"), ...problemResponses(401, 403, 409, 422) },
});
const declarations = route({ method: "get", path: "/api/admin/dividends", summary: "Dividend declarations, newest first", middleware: [requireAdmin] as const, responses: { 200: json(z.object({ items: z.array(DeclarationSchema) }), "Declarations"), ...problemResponses(401, 403) } });

export const adminRoundRoutes = createRouter()
  .openapi(list, async (c) => c.json({ items: await listRounds(c.env.DB) }, 200))
  .openapi(create, async (c) => c.json(await createRound(c.env.DB, adminActor(c), c.req.valid("json")), 201))
  .openapi(getOne, async (c) => c.json(await roundForAdmin(c.env.DB, c.req.valid("param").id), 200))
  .openapi(patch, async (c) => c.json(await patchRound(c.env.DB, adminActor(c), c.req.valid("param").id, c.req.valid("json")), 200))
  .openapi(open, async (c) => c.json(await openRound(c.env.DB, adminActor(c), c.req.valid("param").id), 200))
  .openapi(close, async (c) => {
    const { id } = c.req.valid("param");
    await closeRound(c.env.DB, adminActor(c), id, Date.now(), { early: true });
    return c.json((await roundForAdmin(c.env.DB, id)).round, 200);
  })
  .openapi(caps, async (c) => {
    const table = await capTable(c.env.DB);
    if (c.req.valid("query").format === "csv") {
      return c.body("\uFEFF" + capTableCsv(table), 200, { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="cap-table.csv"' });
    }
    return c.json(table, 200);
  })
  .openapi(allocate, async (c) => c.json(await allocateToPool(c.env.DB, adminActor(c), c.req.valid("json")), 201))
  .openapi(declare, async (c) => c.json(await declareDividend(c.env.DB, adminActor(c), c.req.valid("json")), 200))
  .openapi(declarations, async (c) => c.json({ items: await listDeclarations(c.env.DB) }, 200));
