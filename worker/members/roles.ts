import { auditStatement } from "../audit/log";
import type { Principal, Role } from "../http/auth";
import { ApiError } from "../http/problem";
import { rolesOf } from "./service";

export type RoleChange = { memberId: string; role: Role; action: "grant" | "revoke" };

/** SQL that is true while `?` (a member id) holds the admin role in the database (not just in a token). */
export const HOLDS_ADMIN = "EXISTS (SELECT 1 FROM members a, json_each(a.roles) r WHERE a.id = ? AND r.value = 'admin')";

/**
 * Grants or revokes a role. Only admins reach this (the route's requireAdmin); a member never changes their own
 * roles. The change and its audit record are one batch. The UPDATE sets NULL into the NOT NULL `roles` column,
 * aborting the whole batch (audit row included), when the roles changed since we read them or when a bearer
 * caller is no longer an admin in the database — so a stale token cannot grant anything.
 */
export async function changeRole(d1: D1Database, actor: Principal, change: RoleChange, requestId?: string) {
  const row = await d1.prepare("SELECT roles FROM members WHERE id = ?").bind(change.memberId).first<{ roles: string }>();
  if (!row) throw ApiError.notFound("No such member.");
  if (change.action === "revoke" && change.role === "admin" && change.memberId === actor.memberId && !actor.adminId) {
    throw new ApiError(409, "cannot-revoke-own-admin", "Admins cannot revoke their own admin role; ask another admin.", undefined, "Cannot revoke own admin role");
  }
  const before = rolesOf(JSON.parse(row.roles));
  const after = change.action === "grant" ? [...new Set([...before, change.role])] : before.filter((r) => r !== change.role);
  if (after.length === before.length) return { changed: false, roles: before };

  // Console admins (cookie) are vouched for by their session; bearer callers must still be admins in D1.
  const actorGuard = actor.adminId ? "1" : HOLDS_ADMIN;
  const guardArgs = actor.adminId ? [] : [actor.memberId];
  try {
    await d1.batch([
      d1
        .prepare(`UPDATE members SET roles = CASE WHEN roles = ? AND ${actorGuard} THEN ? ELSE NULL END WHERE id = ?`)
        .bind(row.roles, ...guardArgs, JSON.stringify(after), change.memberId),
      auditStatement(d1, {
        actorId: actor.adminId ?? actor.memberId,
        actorKind: "admin",
        action: change.action === "grant" ? "member.role_granted" : "member.role_revoked",
        targetType: "member",
        targetId: change.memberId,
        before: { roles: before },
        after: { roles: after },
        requestId,
      }),
    ]);
  } catch (e) {
    if (!String((e as Error)?.message ?? e).includes("NOT NULL constraint failed")) throw e;
    const stillAdmin = actor.adminId ? true : await d1.prepare(`SELECT ${HOLDS_ADMIN} AS ok`).bind(actor.memberId).first<{ ok: number }>().then((r) => Boolean(r?.ok));
    if (!stillAdmin) throw ApiError.forbidden("Your admin role was revoked.");
    throw ApiError.tryAgain("conflict", "The member's roles changed at the same time; reload and try again.");
  }
  return { changed: true, roles: after };
}
