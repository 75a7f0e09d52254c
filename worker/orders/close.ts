import { orderKind } from "./kinds";
import type { OrderRow } from "./views";

/**
 * Closes an unpaid order here (the caller has made sure WeChat can no longer take its payment: closed it there,
 * or its time_expire passed) — ONE batch with whatever the order's kind releases. Once only: the kind's
 * statements are gated on this batch's own close stamp and, when there are any, a `close:<id>` pay_settlements
 * row whose CHECK(gate = 1) fails for a batch that did not close the order, rolling it back whole.
 */
export async function closeOrder(d1: D1Database, order: OrderRow, now = new Date()): Promise<boolean> {
  let closed: D1Result;
  try {
    [closed] = await d1.batch(closeStatements(d1, order, now));
  } catch (e) {
    // Gate refused: another batch closed (or paid) the order first; this one rolled back whole.
    const now2 = await d1.prepare("SELECT status FROM orders WHERE id = ?").bind(order.id).first<{ status: string }>();
    if (now2 && now2.status !== "pending") return false;
    throw e;
  }
  return closed.meta.changes === 1;
}

/**
 * The statements of `closeOrder`'s batch: the status change first, then what the kind releases and its gate. A kind
 * that releases nothing closes with the status change alone, which another batch may carry (placing the order
 * that replaces an expired one does).
 */
export function closeStatements(d1: D1Database, order: OrderRow, now: Date): D1PreparedStatement[] {
  const kind = orderKind(order.kind);
  const t = now.getTime();
  const stamp = crypto.randomUUID();
  // The close stamp reuses fulfilment_id: a pending order has none, and fulfilment (closed → paid) overwrites it.
  const gate = { sql: "EXISTS (SELECT 1 FROM orders WHERE id = ? AND fulfilment_id = ? AND status = 'closed')", params: [order.id, `close:${stamp}`] };
  const released = kind.onClose(d1, { id: order.id, memberId: order.member_id, subjectId: order.subject_id, amountFen: order.amount_fen }, gate, now);
  return [
    d1.prepare("UPDATE orders SET status = 'closed', fulfilment_id = ?1, closed_at = ?2, updated_at = ?2 WHERE id = ?3 AND status = 'pending'").bind(`close:${stamp}`, t, order.id),
    ...released,
    ...(released.length > 0
      ? [d1.prepare(`INSERT INTO pay_settlements (id, order_id, wechat_id, gate, created_at) SELECT 'close:' || ?, ?, '', ${gate.sql}, ?`).bind(order.id, order.id, ...gate.params, t)]
      : []),
  ];
}
