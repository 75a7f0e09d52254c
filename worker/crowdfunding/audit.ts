import { auditStatement, auditStatementIf, uuidv7, type AuditEntry } from "../audit/log";
import type { RoundState } from "../../schema/crowdfunding";

/** Who changes a round: an admin (console user or admin member) or the closing job. */
export type Actor = { actorId: string; actorKind: "admin" | "system"; requestId?: string };

type Change = Omit<AuditEntry, "actorId" | "actorKind" | "requestId">;

export const audited = (d1: D1Database, actor: Actor, change: Change) => auditStatement(d1, { ...change, ...actor });

/** Written only when `condition` holds inside the batch (an outcome the database decides). */
export const auditedIf = (d1: D1Database, actor: Actor, change: Change, condition: string, ...params: unknown[]) =>
  auditStatementIf(d1, { ...change, ...actor }, condition, ...params);

/**
 * The state-history row and the audit row of a round's state change, written only if the guarded UPDATE just
 * before them in the batch changed the round (`changes()` counts that UPDATE; the history insert then counts 1).
 */
export function stateChangeStatements(d1: D1Database, actor: Actor, roundId: string, from: RoundState, to: RoundState, reason: string, now: number) {
  return [
    d1
      .prepare("INSERT INTO round_state_changes (id, round_id, from_state, to_state, actor_id, reason, created_at) SELECT ?, ?, ?, ?, ?, ?, ? WHERE changes() = 1")
      .bind(uuidv7(now), roundId, from, to, actor.actorId, reason, now),
    auditedIf(d1, actor, { action: `round.${to === "open" ? "opened" : to}`, targetType: "round", targetId: roundId, before: { state: from }, after: { state: to, reason } }, "changes() = 1"),
  ];
}
