import type { Context } from "hono";
import { auditLog } from "../../schema";
import { uuidv7 } from "../audit/log";
import { principal } from "../http/auth";
import type { AppEnv, Db } from "../http/context";

/** Who is acting: the console's admin user when logged in there, else the admin member behind the JWT. */
export type Actor = { actorId: string; requestId: string };

export function actorOf(c: Context<AppEnv>): Actor {
  const p = principal(c);
  return { actorId: p.adminId ?? p.memberId, requestId: c.var.requestId };
}

/**
 * The audit row (same table, id scheme and fields as worker/audit/log.ts's `auditStatement`) as a drizzle
 * statement, so it goes into the same `db.batch([...])` as the catalog change it records.
 */
export function auditRow(
  db: Db,
  actor: Actor,
  e: { action: string; targetType: "course" | "chapter" | "lesson" | "member"; targetId: string; before?: unknown; after?: unknown },
) {
  return db.insert(auditLog).values({
    id: uuidv7(),
    actorId: actor.actorId,
    actorKind: "admin",
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before ?? null,
    after: e.after ?? null,
    requestId: actor.requestId,
    createdAt: new Date(),
  });
}
