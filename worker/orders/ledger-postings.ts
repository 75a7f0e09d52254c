import { accountId } from "../ledger/accounts";
import { transferStatements } from "../ledger/service";

/**
 * The ledger postings of the course shop, as statements to put inside the shop's own settling batch
 * (so the order, the entitlement and the money move together or not at all).
 * Revenue: debit wechat_clearing, credit revenue_course (`order:<id>:revenue`).
 * Refund: debit revenue_course, credit wechat_clearing (`refund:<refundId>`).
 */
export function revenuePostings(d1: D1Database, order: { id: string; amountFen: number }, now: Date): D1PreparedStatement[] {
  return transferStatements(
    d1,
    [{ id: `order:${order.id}:revenue`, debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("revenue_course"), amountFen: order.amountFen, code: "course_sale", reference: `order:${order.id}` }],
    now,
  );
}

export function refundPostings(d1: D1Database, refund: { id: string; orderId: string; amountFen: number }, now: Date): D1PreparedStatement[] {
  return transferStatements(
    d1,
    [{ id: `refund:${refund.id}`, debitAccountId: accountId("revenue_course"), creditAccountId: accountId("wechat_clearing"), amountFen: refund.amountFen, code: "course_refund", reference: `order:${refund.orderId}` }],
    now,
  );
}
