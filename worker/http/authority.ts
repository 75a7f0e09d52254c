import { eq } from "drizzle-orm";
import { members } from "../../schema";
import { rolesOf, type Identity, type Principal, type Tier } from "./principal";
import type { Db } from "./context";
import { ApiError } from "./problem";

/**
 * The token proves who the caller is; what they may do — tier, roles, blocked — is read from D1 on the request,
 * so a revoked admin role, a changed tier or a block takes effect on the next request. Hot routes put
 * `authorityQuery` into the batch they already run (no extra round trip) and call `principalFrom` on its row.
 */
export type AuthorityRow = { tier: Tier; roles: unknown; blockedAt: Date | number | null };

export function authorityQuery(db: Db, memberId: string) {
  return db.select({ tier: members.tier, roles: members.roles, blockedAt: members.blockedAt }).from(members).where(eq(members.id, memberId));
}

/** The same read for raw D1 batches. */
export function authorityStatement(d1: D1Database, memberId: string) {
  return d1.prepare("SELECT tier, roles, blocked_at AS blockedAt FROM members WHERE id = ?").bind(memberId);
}

export function memberBlocked() {
  return new ApiError(403, "member-blocked", "该账号已被管理员停用，暂时无法使用。如有疑问，请联系客服。", undefined, "账号已停用");
}

/** 401 when the member no longer exists, 403 `member-blocked` when an admin blocked them. */
export function principalFrom(identity: Identity, row: AuthorityRow | undefined): Principal {
  if (!row) throw ApiError.unauthorized("This member no longer exists; log in again.");
  if (row.blockedAt) throw memberBlocked();
  const roles = typeof row.roles === "string" ? rolesOf(JSON.parse(row.roles)) : rolesOf(row.roles);
  return { memberId: identity.memberId, tier: row.tier, roles };
}

/** One round trip, for routes that have no query of their own to join it into. */
export async function loadPrincipal(d1: D1Database, identity: Identity): Promise<Principal> {
  return principalFrom(identity, (await authorityStatement(d1, identity.memberId).first<AuthorityRow>()) ?? undefined);
}
