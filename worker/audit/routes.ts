import { listLimit, pageOf } from "../http/cursor";
import { createRoute, z } from "@hono/zod-openapi";
import { requireAdmin } from "../http/auth";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { auditPage } from "./queries";

const AuditEntrySchema = z
  .object({
    id: z.string(),
    actorId: z.string(),
    actorKind: z.enum(["admin", "member", "system"]),
    actorName: z.string().nullable().openapi({ description: "The admin's username when the actor is a console admin" }),
    action: z.string().openapi({ example: "admin.login" }),
    targetType: z.string(),
    targetId: z.string(),
    targetName: z.string().nullable().openapi({ description: "The admin's username when the target is a console admin" }),
    before: z.unknown().nullable(),
    after: z.unknown().nullable(),
    requestId: z.string().nullable(),
    createdAt: z.string().openapi({ example: "2026-11-25T08:00:00.000Z" }),
  })
  .openapi("AuditEntry");

const AuditQuerySchema = z.object({
  limit: listLimit,
  cursor: z.uuid().optional().openapi({ description: "`nextCursor` of the previous page" }),
  action: z.string().max(64).optional(),
  actorId: z.string().max(64).optional(),
  targetType: z.string().max(64).optional(),
  targetId: z.string().max(128).optional(),
});

const listAuditLog = createRoute({
  method: "get",
  path: "/api/admin/audit-log",
  tags: ["admin"],
  summary: "Append-only log of admin actions, newest first",
  description: "Bearer JWT with the admin role, or the admin console's session cookie.",
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { query: AuditQuerySchema },
  responses: {
    200: {
      description: "A page of audit entries",
      content: { "application/json": { schema: pageOf(AuditEntrySchema) } },
    },
    ...problemResponses(401, 403, 422),
  },
});

export const auditRoutes = createRouter().openapi(listAuditLog, async (c) => {
  const { limit, cursor, ...filter } = c.req.valid("query");
  const page = await auditPage(c.var.db, filter, cursor, limit);
  return c.json(
    {
      items: page.items.map((row) => ({ ...row, before: row.before ?? null, after: row.after ?? null, createdAt: row.createdAt.toISOString() })),
      nextCursor: page.nextCursor,
    },
    200,
  );
});
