import type { Tier } from "../http/auth";

/**
 * A row of the tier history, written only when `condition` holds inside the batch (the member's tier is still
 * `from` and the change that decides it applied). Used by the spend trigger, an approved application and an admin.
 */
export function tierChangeStatement(
  d1: D1Database,
  change: { memberId: string; from: Tier; to: Tier; reason: string; source: "trigger" | "application" | "admin"; actorId: string | null },
  condition: string,
  params: unknown[],
  now = Date.now(),
): D1PreparedStatement {
  return d1.prepare(
    `INSERT INTO tier_changes (id, member_id, from_tier, to_tier, reason, source, actor_id, created_at) SELECT ?, ?, ?, ?, ?, ?, ?, ? WHERE ${condition}`,
  ).bind(crypto.randomUUID(), change.memberId, change.from, change.to, change.reason, change.source, change.actorId, now, ...params);
}

export type TierChange = { from: Tier; to: Tier; reason: string; source: string; actorId: string | null; createdAt: string };

export async function tierHistory(d1: D1Database, memberId: string, limit = 50): Promise<TierChange[]> {
  const { results } = await d1.prepare("SELECT * FROM tier_changes WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT ?").bind(memberId, limit).all<Record<string, unknown>>();
  return results.map((r) => ({ from: r.from_tier as Tier, to: r.to_tier as Tier, reason: String(r.reason), source: String(r.source), actorId: (r.actor_id as string | null) ?? null, createdAt: new Date(Number(r.created_at)).toISOString() }));
}
