import { and, desc, eq, gte, lt } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../http/context";
import { adminUsers, auditLog } from "../../schema";

const targetAdmin = alias(adminUsers, "target_admin");

/** `from`/`to` bound the time of the entry in epoch ms: from inclusive, to exclusive. */
export type AuditFilter = { targetType?: string; targetId?: string; actorId?: string; action?: string; from?: number; to?: number };
export type AuditRow = Awaited<ReturnType<typeof auditPage>>["items"][number];

/** Newest first by the UUIDv7 key; the cursor is the id of the last row shown. */
export async function auditPage(db: Db, filter: AuditFilter, cursor: string | undefined, limit = 20) {
  const rows = await db
    .select({
      id: auditLog.id,
      actorId: auditLog.actorId,
      actorKind: auditLog.actorKind,
      actorName: adminUsers.username,
      action: auditLog.action,
      targetType: auditLog.targetType,
      targetId: auditLog.targetId,
      targetName: targetAdmin.username,
      before: auditLog.before,
      after: auditLog.after,
      requestId: auditLog.requestId,
      createdAt: auditLog.createdAt,
    })
    .from(auditLog)
    .leftJoin(adminUsers, and(eq(auditLog.actorKind, "admin"), eq(adminUsers.id, auditLog.actorId)))
    .leftJoin(targetAdmin, and(eq(auditLog.targetType, "admin_user"), eq(targetAdmin.id, auditLog.targetId)))
    .where(
      and(
        filter.targetType ? eq(auditLog.targetType, filter.targetType) : undefined,
        filter.targetId ? eq(auditLog.targetId, filter.targetId) : undefined,
        filter.actorId ? eq(auditLog.actorId, filter.actorId) : undefined,
        filter.action ? eq(auditLog.action, filter.action) : undefined,
        filter.from !== undefined ? gte(auditLog.createdAt, new Date(filter.from)) : undefined,
        filter.to !== undefined ? lt(auditLog.createdAt, new Date(filter.to)) : undefined,
        cursor ? lt(auditLog.id, cursor) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? items[items.length - 1].id : null };
}
