import { createRoute, z } from "@hono/zod-openapi";
import { principal, requireAdmin, ROLES } from "../http/auth";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { changeRole } from "./roles";

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

export const memberAdminRoutes = createRouter().openapi(changeRoles, async (c) => {
  const { id } = c.req.valid("param");
  const { role, action } = c.req.valid("json");
  const result = await changeRole(c.env.DB, principal(c), { memberId: id, role, action }, c.var.requestId);
  return c.json({ memberId: id, ...result }, 200);
});
