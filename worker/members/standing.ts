import { auditStatementIf } from "../audit/log";
import type { Principal, Tier } from "../http/auth";
import { ApiError } from "../http/problem";

/** What an admin sees after a tier or block change; every change takes effect on the member's next request. */
export type MemberStanding = { memberId: string; tier: Tier; blocked: boolean; blockedAt: string | null; blockedReason: string | null; changed: boolean };

type StandingRow = { id: string; tier: Tier; blocked_at: number | null; blocked_reason: string | null };

async function standingRow(d1: D1Database, memberId: string): Promise<StandingRow> {
  const row = await d1.prepare("SELECT id, tier, blocked_at, blocked_reason FROM members WHERE id = ?").bind(memberId).first<StandingRow>();
  if (!row) throw ApiError.notFound("No such member.");
  return row;
}

const view = (r: StandingRow, changed: boolean): MemberStanding => ({
  memberId: r.id,
  tier: r.tier,
  blocked: r.blocked_at !== null,
  blockedAt: r.blocked_at === null ? null : new Date(r.blocked_at).toISOString(),
  blockedReason: r.blocked_reason,
  changed,
});

const actorOf = (actor: Principal) => actor.adminId ?? actor.memberId;

/**
 * Each change is one conditional UPDATE plus its audit row in one batch; the audit row is written only when the
 * UPDATE changed the row (`changes() = 1`), so a concurrent identical change records one entry, not two.
 */
async function apply(d1: D1Database, update: D1PreparedStatement, audit: D1PreparedStatement) {
  const [result] = await d1.batch([update, audit]);
  return result.meta.changes === 1;
}

export async function changeTier(d1: D1Database, actor: Principal, memberId: string, tier: Tier, reason: string, requestId?: string): Promise<MemberStanding> {
  const before = await standingRow(d1, memberId);
  if (before.tier === tier) return view(before, false);
  const changed = await apply(
    d1,
    d1.prepare("UPDATE members SET tier = ? WHERE id = ? AND tier = ?").bind(tier, memberId, before.tier),
    auditStatementIf(
      d1,
      { actorId: actorOf(actor), actorKind: "admin", action: "member.tier_changed", targetType: "member", targetId: memberId, before: { tier: before.tier }, after: { tier, reason }, requestId },
      "changes() = 1",
    ),
  );
  if (!changed) throw ApiError.conflict("conflict", "The member's tier changed at the same time; reload and try again.");
  return view({ ...before, tier }, true);
}

export async function blockMember(d1: D1Database, actor: Principal, memberId: string, reason: string, requestId?: string, now = Date.now()): Promise<MemberStanding> {
  if (memberId === actor.memberId) throw new ApiError(409, "cannot-block-self", "Admins cannot block themselves.", undefined, "Cannot block yourself");
  const before = await standingRow(d1, memberId);
  if (before.blocked_at !== null) return view(before, false);
  const changed = await apply(
    d1,
    d1.prepare("UPDATE members SET blocked_at = ?, blocked_reason = ? WHERE id = ? AND blocked_at IS NULL").bind(now, reason, memberId),
    auditStatementIf(
      d1,
      { actorId: actorOf(actor), actorKind: "admin", action: "member.blocked", targetType: "member", targetId: memberId, before: { blocked: false }, after: { blocked: true, reason }, requestId },
      "changes() = 1",
    ),
  );
  return changed ? view({ ...before, blocked_at: now, blocked_reason: reason }, true) : view(await standingRow(d1, memberId), false);
}

export async function unblockMember(d1: D1Database, actor: Principal, memberId: string, reason: string | undefined, requestId?: string): Promise<MemberStanding> {
  const before = await standingRow(d1, memberId);
  if (before.blocked_at === null) return view(before, false);
  const changed = await apply(
    d1,
    d1.prepare("UPDATE members SET blocked_at = NULL, blocked_reason = NULL WHERE id = ? AND blocked_at IS NOT NULL").bind(memberId),
    auditStatementIf(
      d1,
      {
        actorId: actorOf(actor), actorKind: "admin", action: "member.unblocked", targetType: "member", targetId: memberId,
        before: { blocked: true, reason: before.blocked_reason }, after: { blocked: false, ...(reason ? { reason } : {}) }, requestId,
      },
      "changes() = 1",
    ),
  );
  return changed ? view({ ...before, blocked_at: null, blocked_reason: null }, true) : view(await standingRow(d1, memberId), false);
}
