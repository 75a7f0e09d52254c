import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Append-only record of every admin action (and of member/system actions worth auditing).
 * Written only through `auditStatement` (worker/audit/log.ts), in the same D1 batch as the change it
 * records; triggers in the `audit_guards` migration abort any UPDATE or DELETE.
 * Ids are UUIDv7, so the primary key orders rows by time (newest first = id descending).
 */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text().primaryKey(),
    /** An admin user id, a member id, or a job name for the system. */
    actorId: text().notNull(),
    actorKind: text({ enum: ["admin", "member", "system"] }).notNull(),
    action: text().notNull(),
    targetType: text().notNull(),
    targetId: text().notNull(),
    before: text({ mode: "json" }),
    after: text({ mode: "json" }),
    requestId: text(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [index("audit_log_target_idx").on(t.targetType, t.targetId, t.id), index("audit_log_actor_idx").on(t.actorId, t.id)],
);
