import { accountId } from "../ledger/accounts";
import { transferStatements } from "../ledger/service";
import type { OrderKind } from "../orders/kind";

/**
 * The winner's purchase of a sold lot at the hammer price (a physical work: iOS may pay). Paid: the sale moves to
 * `paid` and the money is auction revenue (wechat_clearing → revenue_auction); the winner's deposit is then released
 * by the deposit job. It lives up to the default 72 h payment deadline, longer than a prepay_id (2 h): paying again
 * gets a fresh prepay under the same out_trade_no. At the lot's own deadline the forfeit job closes it first.
 * Commission per order: a lot configured to pay (`lots.commissionable`) has its purchase placed with the buyer's
 * commission snapshot (`placePurchaseOrder`), and that order pays the uplines and is reversed on refund like a course's;
 * any other lot's purchase pays nothing.
 */
export const auctionPurchaseKind: OrderKind = {
  name: "auction_purchase",
  ttlMs: 72 * 3600_000,
  iosAllowed: true,
  commissionable: "per-order",
  description: (lot) => `拍品·${lot.title}`.slice(0, 40),
  openKey: (o) => `auction_purchase:${o.subjectId}`,
  onFulfilment: (d1, order, gate, now) => [
    d1
      .prepare(
        `UPDATE lot_sales SET status = 'paid', order_id = ?, updated_at = ? WHERE lot_id = ? AND winner_member_id = ? AND status = 'awaiting_payment' AND ${gate.sql}`,
      )
      .bind(order.id, now.getTime(), order.subjectId, order.memberId, ...gate.params),
    ...transferStatements(
      d1,
      [{ id: `order:${order.id}:revenue`, debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("revenue_auction"), amountFen: order.amountFen, code: "auction_sale", reference: `order:${order.id}` }],
      now,
    ),
  ],
  onRefundSettled: (d1, order, refund, _gate, now) =>
    transferStatements(
      d1,
      [{ id: `refund:${refund.id}`, debitAccountId: accountId("revenue_auction"), creditAccountId: accountId("wechat_clearing"), amountFen: refund.amountFen, code: "auction_sale_refund", reference: `order:${order.id}` }],
      now,
    ),
  onClose: () => [],
};
