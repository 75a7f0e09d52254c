import { auditStatementIf } from "../../worker/audit/log";
import { accountId } from "../../worker/ledger/accounts";
import { transferStatements } from "../../worker/ledger/service";
import type { OrderKind } from "../../worker/orders/kind";
import { registerOrderKind } from "../../worker/orders/kinds";

/**
 * A kind the product does not have, registered only by the tests that use it: a deposit on a lot (one open
 * order per lot, whoever pays; lives 24 h; allowed on iOS). Paid: the money is held for the payer
 * (wechat_clearing → deposit_held:<member>); refunded: released back. Each of its three hooks also writes an
 * audit row, gated like any kind's statements, so a test sees exactly when the core ran it.
 */
export const testDepositKind: OrderKind = {
  name: "test_deposit",
  ttlMs: 24 * 3600_000,
  iosAllowed: true,
  commissionable: false,
  description: (lot) => `保证金 ${lot.title}`,
  openKey: (o) => `test_deposit:${o.subjectId}`,
  onFulfilment: (d1, order, gate, now) => [
    hookRow(d1, "test_deposit.held", order.id, gate),
    ...transferStatements(d1, [{ id: `order:${order.id}:deposit`, debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("deposit_held", order.memberId), amountFen: order.amountFen, code: "deposit_paid", reference: `order:${order.id}` }], now),
  ],
  onRefundSettled: (d1, order, refund, gate, now) => [
    hookRow(d1, "test_deposit.released", order.id, gate),
    ...transferStatements(d1, [{ id: `refund:${refund.id}`, debitAccountId: accountId("deposit_held", order.memberId), creditAccountId: accountId("wechat_clearing"), amountFen: refund.amountFen, code: "deposit_refund", reference: `order:${order.id}` }], now),
  ],
  onClose: (d1, order, gate) => [hookRow(d1, "test_deposit.closed", order.id, gate)],
};

const hookRow = (d1: D1Database, action: string, orderId: string, gate: { sql: string; params: unknown[] }) =>
  auditStatementIf(d1, { actorId: "system", actorKind: "system", action, targetType: "order", targetId: orderId }, gate.sql, ...gate.params);

registerOrderKind(testDepositKind);
