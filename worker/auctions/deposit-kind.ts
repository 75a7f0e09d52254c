import type { OrderKind } from "../orders/kind";
import { transferStatements } from "../ledger/service";
import { depositPaidTransfers, depositRecordStatement, depositRefundTransfer } from "./deposits";

/**
 * A lot's deposit (保证金), paid by the member before bidding. Paid: wechat_clearing → deposit_held:<member>, held
 * for the lot by a pending transfer (no timeout), recorded in lot_deposits — which is what the lot's object asks
 * before taking the member's first bid. Refunded (a system refund once the hold is voided after the lot): the money
 * leaves deposit_held back to WeChat. Not virtual goods: iOS may pay. Never commissionable.
 */
export const auctionDepositKind: OrderKind = {
  name: "auction_deposit",
  ttlMs: 30 * 60_000,
  iosAllowed: true,
  commissionable: false,
  description: (lot) => `保证金·${lot.title}`.slice(0, 40),
  openKey: (o) => `auction_deposit:${o.memberId}:${o.subjectId}`,
  onFulfilment: (d1, order, gate, now) => [
    depositRecordStatement(d1, order.id, gate, now),
    ...transferStatements(d1, depositPaidTransfers({ lotId: order.subjectId, memberId: order.memberId, orderId: order.id, amountFen: order.amountFen }), now),
  ],
  onRefundSettled: (d1, order, refund, _gate, now) => transferStatements(d1, [depositRefundTransfer(order.memberId, order.id, refund)], now),
  onClose: () => [],
};
