import { accountId } from "../ledger/accounts";
import { transferStatements } from "../ledger/service";
import type { Gate, KindOrder, OrderKind } from "../orders/kind";
import { recountHolders } from "./holders";
import { expireReservationStatements, roundIdOfSubscription } from "./subscriptions";

/** A reservation waits this long for its payment; its order lives as long (WeChat `time_expire`). */
export const SUBSCRIPTION_TTL_MS = 30 * 60_000;

/** The order's description (WeChat's 商品描述) before the round's title; kept to 40 characters, in JS and in SQL. */
export const SUBSCRIPTION_DESCRIPTION_PREFIX = "认购：";
export const SUBSCRIPTION_DESCRIPTION_MAX = 40;

/**
 * A subscription to a crowdfunding round, paid through WeChat Pay; the order's subject is the subscription.
 * Shares are not virtual goods, so iOS may pay; and no commission is ever paid on a subscription (docs/architecture.md §5).
 */
export const shareSubscriptionKind: OrderKind = {
  name: "share_subscription",
  ttlMs: SUBSCRIPTION_TTL_MS,
  iosAllowed: true,
  commissionable: false,
  description: (subject) => `${SUBSCRIPTION_DESCRIPTION_PREFIX}${subject.title}`.slice(0, SUBSCRIPTION_DESCRIPTION_MAX),
  openKey: (o) => `share_subscription:${o.subjectId}`,
  onFulfilment: (d1, order, gate, now) => subscriptionPaidStatements(d1, order, gate, now),
  onRefundSettled: (d1, order, refund, gate, now) => subscriptionRefundedStatements(d1, order, refund, gate, now),
  // Expired or closed unpaid: the reservation expires with its order and gives its shares back, in the close batch.
  onClose: (d1, order, gate, now) => expireReservationStatements(d1, order.subjectId, now.getTime(), gate),
};

const of = (column: string) => `(SELECT ${column} FROM share_subscriptions WHERE id = ?)`;

/**
 * The subscription's part of the fulfilment batch, decided in SQL inside it (a kind cannot read first):
 * - reserved → paid: its shares move from reserved to sold;
 * - expired (the order was paid late) → paid only if the round is still open with room for its shares and the member
 *   fits under the holder cap; otherwise it stays expired and the `refund-subscriptions` job refunds it;
 * - either way the money received goes `wechat_clearing → crowdfund_escrow:<round>` (`order:<id>:escrow`).
 */
function subscriptionPaidStatements(d1: D1Database, order: KindOrder, gate: Gate, now: Date): D1PreparedStatement[] {
  const t = now.getTime();
  const s = order.subjectId;
  return [
    d1
      .prepare(
        `UPDATE rounds SET reserved_shares = reserved_shares - ${of("shares")}, sold_shares = sold_shares + ${of("shares")}, updated_at = ?
         WHERE id = (SELECT round_id FROM share_subscriptions WHERE id = ? AND status = 'reserved') AND ${gate.sql}`,
      )
      .bind(s, s, t, s, ...gate.params),
    d1
      .prepare(
        `UPDATE rounds SET sold_shares = sold_shares + ${of("shares")}, updated_at = ?
         WHERE id = (
           SELECT x.round_id FROM share_subscriptions x JOIN rounds r ON r.id = x.round_id
           WHERE x.id = ? AND x.status = 'expired' AND r.state = 'open' AND r.closes_at > ?
             AND r.total_shares - r.sold_shares - r.reserved_shares >= x.shares
             AND (EXISTS (SELECT 1 FROM share_holdings h WHERE h.member_id = x.member_id)
               OR EXISTS (SELECT 1 FROM share_subscriptions y WHERE y.member_id = x.member_id AND y.status IN ('reserved', 'paid'))
               OR (SELECT holders < cap FROM shareholder_count WHERE id = 'all'))
         ) AND ${gate.sql}`,
      )
      .bind(s, t, s, t, ...gate.params),
    // Paid when its shares were just sold: a reserved one always (first UPDATE), an expired one when the second applied.
    d1
      .prepare(
        `UPDATE share_subscriptions SET status = 'paid', paid_at = ?, updated_at = ?, order_id = ?
         WHERE id = ? AND (status = 'reserved' OR (status = 'expired' AND changes() = 1)) AND ${gate.sql}`,
      )
      .bind(t, t, order.id, s, ...gate.params),
    recountHolders(d1),
    ...transferStatements(
      d1,
      [{ id: `order:${order.id}:escrow`, debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("crowdfund_escrow", roundIdOfSubscription(s)), amountFen: order.amountFen, code: "share_subscription", reference: `order:${order.id}` }],
      now,
    ),
  ];
}

/**
 * A settled refund: the money goes back out of the round's escrow; once the order is refunded in full the
 * subscription is refunded (its shares go back to a round still open) and a member with nothing else live frees
 * their place under the holder cap.
 */
function subscriptionRefundedStatements(d1: D1Database, order: KindOrder, refund: { id: string; amountFen: number }, gate: Gate, now: Date): D1PreparedStatement[] {
  const t = now.getTime();
  const s = order.subjectId;
  const whole = "EXISTS (SELECT 1 FROM orders WHERE id = ? AND status = 'refunded')";
  return [
    d1
      .prepare(
        `UPDATE rounds SET sold_shares = sold_shares - ${of("shares")}, updated_at = ?
         WHERE id = (SELECT round_id FROM share_subscriptions WHERE id = ? AND status = 'paid') AND state = 'open' AND ${whole} AND ${gate.sql}`,
      )
      .bind(s, t, s, order.id, ...gate.params),
    d1
      .prepare(`UPDATE share_subscriptions SET status = 'refunded', updated_at = ? WHERE id = ? AND status IN ('paid', 'expired') AND ${whole} AND ${gate.sql}`)
      .bind(t, s, order.id, ...gate.params),
    recountHolders(d1),
    ...transferStatements(
      d1,
      [{ id: `refund:${refund.id}`, debitAccountId: accountId("crowdfund_escrow", roundIdOfSubscription(s)), creditAccountId: accountId("wechat_clearing"), amountFen: refund.amountFen, code: "share_subscription_refund", reference: `order:${order.id}` }],
      now,
    ),
  ];
}
