/** A commission row as the settlement job and refunds read it. */
export type CommissionRow = {
  id: string; order_id: string; earner_id: string; level: number; rate_bps: number; base_fen: number; amount_fen: number;
  cancelled_fen: number; settled_fen: number; clawed_back_fen: number; status: string; version: number; available_at: number;
};

/**
 * The guard of every change to a commission: the UPDATE applies only to the version that was read, and the
 * movement row right after it inserts `changes()` into a CHECK(gate = 1) column. A writer working from a stale read
 * (an overlapping settlement run, a refund racing the settlement) makes its whole batch roll back, transfers included.
 * `extraWhere` adds conditions (with their params) the change also depends on.
 */
export function guardedChange(
  d1: D1Database,
  c: CommissionRow,
  change: { set: string; params: unknown[]; movement: { id: string; kind: "settle" | "cancel" | "clawback"; amountFen: number; refundId?: string } },
  now: Date,
  extraWhere: { sql: string; params: unknown[] } = { sql: "1", params: [] },
): D1PreparedStatement[] {
  const t = now.getTime();
  return [
    d1.prepare(`UPDATE commissions SET ${change.set}, version = version + 1, updated_at = ? WHERE id = ? AND version = ? AND ${extraWhere.sql}`)
      .bind(...change.params, t, c.id, c.version, ...extraWhere.params),
    d1.prepare("INSERT INTO commission_movements (id, commission_id, kind, amount_fen, refund_id, gate, created_at) VALUES (?, ?, ?, ?, ?, changes(), ?)")
      .bind(change.movement.id, c.id, change.movement.kind, change.movement.amountFen, change.movement.refundId ?? null, t),
  ];
}
