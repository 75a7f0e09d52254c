import type { Gate } from "../orders/kind";
import { accountId } from "../ledger/accounts";
import { transferStatements, type TransferSpec } from "../ledger/service";
import { guardedChange, type CommissionRow } from "./movements";
import { commissionOn } from "./plan";

/**
 * What a commission is worth after refunds: the same `floor(kept × rate / 10000)` as its accrual, applied to what the
 * buyer kept. Each refund reverses the difference from what was already reversed, so the parts of several partial
 * refunds sum exactly to the whole, and what is finally paid never exceeds the rate applied to what was kept.
 */
export const reversalDue = (c: Pick<CommissionRow, "amount_fen" | "rate_bps" | "base_fen" | "cancelled_fen" | "clawed_back_fen">, refundedFen: number) =>
  c.amount_fen - Math.min(c.amount_fen, commissionOn(c.base_fen - refundedFen, c.rate_bps)) - c.cancelled_fen - c.clawed_back_fen;

type Reads = { orderRefundedFen: number; commissions: CommissionRow[]; availableFen: Map<string, number> };

/** One round trip: the order's refunded amount, its commissions and their earners' available balances. */
async function read(d1: D1Database, orderId: string): Promise<Reads> {
  const [order, rows, balances] = await d1.batch([
    d1.prepare("SELECT refunded_fen FROM orders WHERE id = ?").bind(orderId),
    d1.prepare("SELECT * FROM commissions WHERE order_id = ? ORDER BY level").bind(orderId),
    d1.prepare(
      `SELECT c.earner_id, a.credits_posted - a.debits_posted - a.debits_pending AS available_fen FROM commissions c
       JOIN accounts a ON a.id = 'commission_available:' || c.earner_id WHERE c.order_id = ?`,
    ).bind(orderId),
  ]);
  return {
    orderRefundedFen: (order.results[0] as { refunded_fen: number } | undefined)?.refunded_fen ?? 0,
    commissions: rows.results as CommissionRow[],
    availableFen: new Map((balances.results as { earner_id: string; available_fen: number }[]).map((b) => [b.earner_id, b.available_fen])),
  };
}

/**
 * What a settled refund of a commissionable order adds to its refund batch (after the order's own UPDATE, so the
 * order already carries this refund in `refunded_fen`). Inside the window the frozen commission is cancelled
 * (frozen → expense); after it, the commission is clawed back from the available balance (available → expense) and
 * what the balance cannot cover becomes a debt (commission_debt → expense) that later earnings repay. The buyer's
 * lifetime spend shrinks by the refund (a tier already reached is kept).
 *
 * Every change is guarded by the commission's version and by the order's refunded amount as read here, so a
 * settlement or another refund that moved in between makes the refund batch roll back; WeChat's next delivery of
 * the notification (or the refund job) settles it again from a fresh read.
 */
export async function commissionRefundStatements(
  d1: D1Database,
  order: { id: string; memberId: string },
  refund: { id: string; amountFen: number },
  gate: Gate,
  now: Date,
): Promise<D1PreparedStatement[]> {
  const r = await read(d1, order.id);
  const refundedAfter = r.orderRefundedFen + refund.amountFen;
  const statements: D1PreparedStatement[] = [
    d1.prepare(`UPDATE member_spend SET lifetime_fen = max(0, lifetime_fen - ?), updated_at = ? WHERE member_id = ? AND ${gate.sql}`)
      .bind(refund.amountFen, now.getTime(), order.memberId, ...gate.params),
  ];
  const transfers: TransferSpec[] = [];
  const orderAsRead = { sql: `EXISTS (SELECT 1 FROM orders WHERE id = ? AND refunded_fen = ?) AND ${gate.sql}`, params: [order.id, refundedAfter, ...gate.params] };
  for (const c of r.commissions) {
    const due = reversalDue(c, refundedAfter);
    if (due <= 0) continue;
    const ref = `order:${order.id}`;
    const legId = `${c.id}:refund:${refund.id}`;
    const frozen = accountId("commission_frozen", c.earner_id);
    if (c.settled_fen === 0) {
      statements.push(
        ...guardedChange(d1, c, {
          set: "cancelled_fen = cancelled_fen + ?1, status = CASE WHEN cancelled_fen + ?1 = amount_fen THEN 'cancelled' ELSE status END",
          params: [due],
          movement: { id: legId, kind: "cancel", amountFen: due, refundId: refund.id },
        }, now, { sql: `status = 'frozen' AND ${orderAsRead.sql}`, params: orderAsRead.params }),
      );
      transfers.push({ id: legId, debitAccountId: frozen, creditAccountId: accountId("commission_expense"), amountFen: due, code: "commission_cancelled", reference: ref });
      continue;
    }
    const left = Math.max(0, r.availableFen.get(c.earner_id) ?? 0);
    const fromAvailable = Math.min(due, left);
    r.availableFen.set(c.earner_id, left - fromAvailable);
    statements.push(
      ...guardedChange(d1, c, {
        set: "clawed_back_fen = clawed_back_fen + ?1, status = CASE WHEN clawed_back_fen + ?1 = settled_fen THEN 'clawed_back' ELSE status END",
        params: [due],
        movement: { id: legId, kind: "clawback", amountFen: due, refundId: refund.id },
      }, now, { sql: `status = 'available' AND ${orderAsRead.sql}`, params: orderAsRead.params }),
    );
    if (fromAvailable > 0) {
      transfers.push({ id: legId, debitAccountId: accountId("commission_available", c.earner_id), creditAccountId: accountId("commission_expense"), amountFen: fromAvailable, code: "commission_clawed_back", reference: ref });
    }
    if (due - fromAvailable > 0) {
      transfers.push({ id: `${legId}:debt`, debitAccountId: accountId("commission_debt", c.earner_id), creditAccountId: accountId("commission_expense"), amountFen: due - fromAvailable, code: "commission_debt", reference: ref });
    }
  }
  return transfers.length > 0 ? [...statements, ...transferStatements(d1, transfers, now)] : statements;
}
