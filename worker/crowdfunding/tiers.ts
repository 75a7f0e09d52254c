import { TIERS } from "../http/auth";
import { uuidv7 } from "../audit/log";

const rank = (column: string) => `CASE ${column} ${TIERS.map((t, i) => `WHEN '${t}' THEN ${i}`).join(" ")} ELSE -1 END`;

/**
 * Raises the tier of the paid subscribers of a round to the round's tier (never lowers one), effective on their
 * next request, with an audit row per member — only when `gate` (SQL, with its own parameters) holds in the batch.
 */
export function grantRoundTierStatements(d1: D1Database, roundId: string, tier: string, gate: string, gateParams: unknown[], now: number): D1PreparedStatement[] {
  const subscribers = `SELECT member_id FROM share_subscriptions WHERE round_id = ? AND status = 'paid'`;
  return [
    // The audit rows go first: they record the tier each member had before the change below.
    d1
      .prepare(
        `INSERT INTO audit_log (id, actor_id, actor_kind, action, target_type, target_id, before, after, request_id, created_at)
         SELECT ? || '-' || m.id, 'job:close-rounds', 'system', 'member.tier_changed', 'member', m.id,
                json_object('tier', m.tier), json_object('tier', ?, 'reason', 'round:' || ?), NULL, ?
         FROM members m WHERE m.id IN (${subscribers}) AND ${rank("m.tier")} < ${rank("?")} AND ${gate}`,
      )
      .bind(uuidv7(now), tier, roundId, now, roundId, tier, ...gateParams),
    d1
      .prepare(`UPDATE members SET tier = ? WHERE id IN (${subscribers}) AND ${rank("tier")} < ${rank("?")} AND ${gate}`)
      .bind(tier, roundId, tier, ...gateParams),
  ];
}
