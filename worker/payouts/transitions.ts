import type { WithdrawalStatus } from "./views";

/**
 * The gate row of a status change (see `withdrawal_transitions`): put it LAST in the batch, after the conditional
 * UPDATE that stamped the withdrawal with `transitionId`. When the UPDATE did not apply, `gate` is 0, the CHECK
 * fails and the whole batch — ledger transfers and audit row included — rolls back.
 */
export function transitionGate(d1: D1Database, withdrawalId: string, status: WithdrawalStatus, transitionId: string, at: number): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO withdrawal_transitions (id, withdrawal_id, status, gate, created_at)
       SELECT ?1 || ':' || ?2, ?1, ?2, EXISTS (SELECT 1 FROM withdrawals WHERE id = ?1 AND transition_id = ?3), ?4`,
    )
    .bind(withdrawalId, status, transitionId, at);
}
