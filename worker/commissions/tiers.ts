import { auditStatementIf } from "../audit/log";
import type { Tier } from "../http/auth";
import { ApiError } from "../http/problem";
import { tierChangeStatement } from "../members/tier-history";

export type Application = { id: string; memberId: string; nickname: string; tier: Tier; note: string; status: ApplicationStatus; decisionReason: string | null; createdAt: string; decidedAt: string | null };
export type ApplicationStatus = "pending" | "approved" | "rejected";

type ApplicationRow = { id: string; member_id: string; nickname: string | null; tier: Tier | null; note: string; status: ApplicationStatus; decision_reason: string | null; created_at: number; decided_at: number | null };

const view = (r: ApplicationRow): Application => ({
  id: r.id, memberId: r.member_id, nickname: r.nickname || "微信用户", tier: r.tier ?? "member", note: r.note, status: r.status, decisionReason: r.decision_reason,
  createdAt: new Date(r.created_at).toISOString(), decidedAt: r.decided_at === null ? null : new Date(r.decided_at).toISOString(),
});

const SELECT_APPLICATION = "SELECT a.*, m.nickname, m.tier FROM partner_applications a LEFT JOIN members m ON m.id = a.member_id";

/**
 * 推广员申请: a plain member asks to become a promoter. One pending application per member: the INSERT happens only
 * when the member is still `member` and has none pending (decided by the database, in one statement).
 */
export async function applyForPromoter(d1: D1Database, memberId: string, note: string, now = Date.now()): Promise<Application> {
  const id = crypto.randomUUID();
  const [inserted, row] = await d1.batch([
    d1.prepare(
      `INSERT INTO partner_applications (id, member_id, note, status, created_at)
       SELECT ?1, ?2, ?3, 'pending', ?4 WHERE EXISTS (SELECT 1 FROM members WHERE id = ?2 AND tier = 'member' AND blocked_at IS NULL)
         AND NOT EXISTS (SELECT 1 FROM partner_applications WHERE member_id = ?2 AND status = 'pending')`,
    ).bind(id, memberId, note, now),
    d1.prepare(`${SELECT_APPLICATION} WHERE a.member_id = ? ORDER BY a.created_at DESC LIMIT 1`).bind(memberId),
  ]);
  const latest = row.results[0] as ApplicationRow | undefined;
  if (inserted.meta.changes === 1 && latest) return view(latest);
  if (latest?.status === "pending") throw ApiError.conflict("application-pending", "您的推广员申请正在审核中。");
  throw ApiError.conflict("already-partner", "您已经是推广员或更高等级，无需申请。");
}

export async function listApplications(d1: D1Database, status: "pending" | "approved" | "rejected", limit = 100): Promise<Application[]> {
  const { results } = await d1.prepare(`${SELECT_APPLICATION} WHERE a.status = ? ORDER BY a.created_at DESC LIMIT ?`).bind(status, limit).all<ApplicationRow>();
  return results.map(view);
}

/**
 * An admin approves (the member becomes a promoter at once, with a tier-history row) or rejects an application,
 * with a reason. One batch: the decision applies only to a pending application, the tier rises only from `member`,
 * and the history and audit rows follow the decision that applied.
 */
export async function decideApplication(d1: D1Database, id: string, decision: "approved" | "rejected", reason: string, actor: { id: string; requestId?: string }, now = Date.now()) {
  const app = await d1.prepare(`${SELECT_APPLICATION} WHERE a.id = ?`).bind(id).first<ApplicationRow>();
  if (!app) throw ApiError.notFound("No such application.");
  if (app.status !== "pending") throw ApiError.conflict("application-decided", "该申请已处理。");
  const decided = "EXISTS (SELECT 1 FROM partner_applications WHERE id = ? AND status = ? AND decided_at = ? AND decided_by = ?)";
  const decidedParams = [id, decision, now, actor.id];
  const promote = decision === "approved" && app.tier === "member";
  await d1.batch([
    d1.prepare("UPDATE partner_applications SET status = ?, decided_by = ?, decision_reason = ?, decided_at = ? WHERE id = ? AND status = 'pending'")
      .bind(decision, actor.id, reason, now, id),
    ...(promote
      ? [
          tierChangeStatement(d1, { memberId: app.member_id, from: "member", to: "promoter", reason, source: "application", actorId: actor.id },
            `${decided} AND EXISTS (SELECT 1 FROM members WHERE id = ? AND tier = 'member')`, [...decidedParams, app.member_id], now),
          d1.prepare(`UPDATE members SET tier = 'promoter' WHERE id = ? AND tier = 'member' AND ${decided}`).bind(app.member_id, ...decidedParams),
        ]
      : []),
    auditStatementIf(d1, {
      actorId: actor.id, actorKind: "admin", action: `partner_application.${decision}`, targetType: "member", targetId: app.member_id,
      before: { status: "pending", tier: app.tier }, after: { status: decision, reason, applicationId: id }, requestId: actor.requestId,
    }, decided, ...decidedParams),
  ]);
  const after = await d1.prepare(`${SELECT_APPLICATION} WHERE a.id = ?`).bind(id).first<ApplicationRow>();
  if (after?.status !== decision || after.decided_at !== now) throw ApiError.tryAgain("application-decided", "该申请已被其他管理员处理。");
  return view(after);
}
