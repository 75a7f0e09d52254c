import { createRoute, z } from "@hono/zod-openapi";
import { principal, requireAdmin, ROLES, TIERS } from "../http/auth";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { changeRole } from "./roles";
import { blockMember, changeTier, unblockMember } from "./standing";

const RoleChangeSchema = z
  .object({ role: z.enum(ROLES), action: z.enum(["grant", "revoke"]) })
  .openapi("RoleChange", { example: { role: "admin", action: "grant" } });

const RoleChangeResultSchema = z
  .object({ memberId: z.string(), roles: z.array(z.enum(ROLES)), changed: z.boolean() })
  .openapi("RoleChangeResult");

const changeRoles = createRoute({
  method: "post",
  path: "/api/admin/members/{id}/roles",
  tags: ["admin"],
  summary: "Grant or revoke a member's role (admins only; audit-logged)",
  description: "Bearer JWT of a member who is an admin in the database, or the admin console's cookie with X-CSRF-Token.",
  security: [{ bearer: [] }],
  middleware: [requireAdmin, idempotency] as const,
  request: {
    params: z.object({ id: z.string().min(1).max(64) }),
    headers: IdempotencyKeyHeader,
    body: { required: true, content: { "application/json": { schema: RoleChangeSchema } } },
  },
  responses: {
    200: { description: "The member's roles after the change", content: { "application/json": { schema: RoleChangeResultSchema } } },
    ...problemResponses(400, 401, 403, 404, 409, 422),
  },
});

const Reason = z.string().trim().min(1).max(200);
const MemberIdParam = z.object({ id: z.string().min(1).max(64) });

const MemberStandingSchema = z
  .object({
    memberId: z.string(),
    tier: z.enum(TIERS),
    blocked: z.boolean(),
    blockedAt: z.string().nullable(),
    blockedReason: z.string().nullable(),
    changed: z.boolean().openapi({ description: "false when the member already was in that state (nothing written)" }),
  })
  .openapi("MemberStanding");

const standingRoute = (path: string, summary: string, body: z.ZodType) =>
  createRoute({
    method: "post",
    path,
    tags: ["admin"],
    summary,
    description: "Takes effect on the member's next request: tier and blocked state are read from D1 on every request.",
    security: [{ bearer: [] }],
    middleware: [requireAdmin, idempotency] as const,
    request: { params: MemberIdParam, headers: IdempotencyKeyHeader, body: { required: true, content: { "application/json": { schema: body } } } },
    responses: {
      200: { description: "The member's tier and blocked state after the change", content: { "application/json": { schema: MemberStandingSchema } } },
      ...problemResponses(400, 401, 403, 404, 409, 422),
    },
  });

const TierChange = z.object({ tier: z.enum(TIERS), reason: Reason }).openapi("TierChange", { example: { tier: "promoter", reason: "推广员申请已通过" } });
const BlockBody = z.object({ reason: Reason }).openapi("BlockMember", { example: { reason: "违规发布广告" } });
const UnblockBody = z.object({ reason: Reason.optional() }).openapi("UnblockMember");

const setTier = standingRoute("/api/admin/members/{id}/tier", "Change a member's tier (audit-logged with the reason)", TierChange);
const block = standingRoute("/api/admin/members/{id}/block", "Block a member: login and every member route refused (audit-logged)", BlockBody);
const unblock = standingRoute("/api/admin/members/{id}/unblock", "Unblock a member (audit-logged)", UnblockBody);

export const memberAdminRoutes = createRouter()
  .openapi(changeRoles, async (c) => {
    const { id } = c.req.valid("param");
    const { role, action } = c.req.valid("json");
    const result = await changeRole(c.env.DB, principal(c), { memberId: id, role, action }, c.var.requestId);
    return c.json({ memberId: id, ...result }, 200);
  })
  .openapi(setTier, async (c) => {
    const { tier, reason } = c.req.valid("json") as z.infer<typeof TierChange>;
    return c.json(await changeTier(c.env.DB, principal(c), c.req.valid("param").id, tier, reason, c.var.requestId), 200);
  })
  .openapi(block, async (c) => {
    const { reason } = c.req.valid("json") as z.infer<typeof BlockBody>;
    return c.json(await blockMember(c.env.DB, principal(c), c.req.valid("param").id, reason, c.var.requestId), 200);
  })
  .openapi(unblock, async (c) => {
    const { reason } = c.req.valid("json") as z.infer<typeof UnblockBody>;
    return c.json(await unblockMember(c.env.DB, principal(c), c.req.valid("param").id, reason, c.var.requestId), 200);
  });
