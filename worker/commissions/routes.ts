import { createRoute, z } from "@hono/zod-openapi";
import { identity, principal, requireAdmin, requireIdentity, requireMember } from "../http/auth";
import { listLimit, pageOf } from "../http/cursor";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter, json } from "../http/router";
import { commissionRecords, dailyEarnings, earnings, team } from "./partner";
import { invitePoster } from "./poster";
import { applyForPromoter, decideApplication, listApplications } from "./tiers";

const EarningsSchema = z
  .object({ frozenFen: z.number().int(), availableFen: z.number().int(), inFlightFen: z.number().int(), withdrawnFen: z.number().int(), debtFen: z.number().int(), lifetimeFen: z.number().int() })
  .openapi("PartnerEarnings");
const CommissionRecordSchema = z
  .object({
    id: z.string(), orderId: z.string(), title: z.string(), buyerNickname: z.string(), level: z.number().int(), rateBps: z.number().int(), baseFen: z.number().int(),
    amountFen: z.number().int(), keptFen: z.number().int(), status: z.enum(["frozen", "available", "cancelled", "clawed_back"]), createdAt: z.string(), availableAt: z.string(),
  })
  .openapi("CommissionRecord");
const TeamMemberSchema = z.object({ nickname: z.string(), avatarUrl: z.string(), joinedAt: z.string(), hasBought: z.boolean() }).openapi("TeamMember");
const DailySchema = z.object({ days: z.array(z.object({ date: z.string(), earnedFen: z.number().int() })) }).openapi("DailyEarnings");
const ApplicationSchema = z
  .object({
    id: z.string(), memberId: z.string(), nickname: z.string(), tier: z.string(), note: z.string(), status: z.enum(["pending", "approved", "rejected"]),
    decisionReason: z.string().nullable(), createdAt: z.string(), decidedAt: z.string().nullable(),
  })
  .openapi("PartnerApplication");
const cursorQuery = { limit: listLimit, cursor: z.string().max(512).optional() };

const getEarnings = createRoute({
  method: "get", path: "/api/partner/earnings", tags: ["partner"], security: [{ bearer: [] }],
  summary: "Your earnings from your account balances (one query): frozen, available, in flight, withdrawn, debt, lifetime",
  middleware: [requireIdentity] as const,
  responses: { 200: json(EarningsSchema, "Earnings"), ...problemResponses(401, 403) },
});
const getCommissions = createRoute({
  method: "get", path: "/api/partner/commissions", tags: ["partner"], security: [{ bearer: [] }],
  summary: "Your commission records, newest first",
  middleware: [requireIdentity] as const,
  request: { query: z.object(cursorQuery) },
  responses: { 200: json(pageOf(CommissionRecordSchema), "A page of commission records"), ...problemResponses(400, 401, 403, 422) },
});
const getTeam = createRoute({
  method: "get", path: "/api/partner/team", tags: ["partner"], security: [{ bearer: [] }],
  summary: "Your team (我的团队) at level 1 or 2: nickname, avatar, joined, whether they have bought — never their amounts",
  middleware: [requireIdentity] as const,
  request: { query: z.object({ level: z.enum(["1", "2"]).default("1"), ...cursorQuery }) },
  responses: { 200: json(pageOf(TeamMemberSchema), "A page of team members"), ...problemResponses(400, 401, 403, 422) },
});
const getDaily = createRoute({
  method: "get", path: "/api/partner/earnings/daily", tags: ["partner"], security: [{ bearer: [] }],
  summary: "What you earned each (Beijing) day of the last `days` days, oldest first, for the chart",
  middleware: [requireIdentity] as const,
  request: { query: z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }) },
  responses: { 200: json(DailySchema, "Daily series"), ...problemResponses(401, 403, 422) },
});
const getPoster = createRoute({
  method: "get", path: "/api/partner/poster", tags: ["partner"], security: [{ bearer: [] }],
  summary: "Your invite mini-program code (PNG, scene i=<inviteCode>), made once and kept",
  middleware: [requireIdentity] as const,
  responses: { 200: { description: "The PNG", content: { "image/png": { schema: z.string().openapi({ format: "binary" }) } } }, ...problemResponses(401, 403, 502, 503) },
});
const postApplication = createRoute({
  method: "post", path: "/api/partner/application", tags: ["partner"], security: [{ bearer: [] }],
  summary: "Apply to become a promoter (推广员申请); one pending application at a time",
  middleware: [requireMember, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, body: { required: true, content: { "application/json": { schema: z.object({ note: z.string().trim().max(500).optional() }).strict() } } } },
  responses: { 201: json(ApplicationSchema, "The application"), ...problemResponses(401, 403, 409, 422) },
});
const listAdminApplications = createRoute({
  method: "get", path: "/api/admin/partner-applications", tags: ["partner"], security: [{ bearer: [] }],
  summary: "Promoter applications by status (newest first)",
  middleware: [requireAdmin] as const,
  request: { query: z.object({ status: z.enum(["pending", "approved", "rejected"]).default("pending") }) },
  responses: { 200: json(z.object({ items: z.array(ApplicationSchema) }), "Applications"), ...problemResponses(401, 403, 422) },
});
const decide = (action: "approve" | "reject") =>
  createRoute({
    method: "post", path: `/api/admin/partner-applications/{id}/${action}`, tags: ["partner"], security: [{ bearer: [] }],
    summary: action === "approve" ? "Approve an application: the member becomes a promoter at once" : "Reject an application with a reason",
    middleware: [requireAdmin, idempotency] as const,
    request: {
      headers: IdempotencyKeyHeader, params: z.object({ id: z.string().min(1).max(64) }),
      body: { required: true, content: { "application/json": { schema: z.object({ reason: z.string().trim().min(1).max(500) }) } } },
    },
    responses: { 200: json(ApplicationSchema, "The decided application"), ...problemResponses(401, 403, 404, 409, 422) },
  });

export const partnerRoutes = createRouter()
  .openapi(getEarnings, async (c) => c.json(await earnings(c.env.DB, identity(c)), 200))
  .openapi(getCommissions, async (c) => {
    const { limit, cursor } = c.req.valid("query");
    return c.json(await commissionRecords(c.env.DB, identity(c), limit, cursor), 200);
  })
  .openapi(getTeam, async (c) => {
    const { level, limit, cursor } = c.req.valid("query");
    return c.json(await team(c.env.DB, identity(c), level === "2" ? 2 : 1, limit, cursor), 200);
  })
  .openapi(getDaily, async (c) => c.json(await dailyEarnings(c.env.DB, identity(c), c.req.valid("query").days), 200))
  .openapi(getPoster, async (c) => {
    const png = await invitePoster(c.env, identity(c));
    return c.body(png, 200, { "content-type": "image/png", "cache-control": "private, max-age=86400" }) as never;
  })
  .openapi(postApplication, async (c) => {
    return c.json(await applyForPromoter(c.env.DB, principal(c).memberId, c.req.valid("json").note ?? ""), 201);
  })
  .openapi(listAdminApplications, async (c) => c.json({ items: await listApplications(c.env.DB, c.req.valid("query").status) }, 200))
  .openapi(decide("approve"), async (c) => {
    const p = principal(c);
    return c.json(await decideApplication(c.env.DB, c.req.valid("param").id, "approved", c.req.valid("json").reason, { id: p.adminId ?? p.memberId, requestId: c.var.requestId }), 200);
  })
  .openapi(decide("reject"), async (c) => {
    const p = principal(c);
    return c.json(await decideApplication(c.env.DB, c.req.valid("param").id, "rejected", c.req.valid("json").reason, { id: p.adminId ?? p.memberId, requestId: c.var.requestId }), 200);
  });
