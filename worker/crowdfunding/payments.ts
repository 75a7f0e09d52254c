import { accountId } from "../ledger/accounts";
import { transferStatements } from "../ledger/service";
import { claimHolders } from "./holders";
import { settingValue } from "./settings";
import type { RoundRow, SubscriptionRow } from "./views";

/**
 * What a payment for a subscription does, decided from a read just before the fulfilment batch:
 * - `accept`: the reservation is still live, or it expired but the round is open with room for its shares and the
 *   member fits under the holder cap — the shares are sold (moved from reserved, or taken again);
 * - `refund`: the reservation expired and the round is full, closed, or the cap is reached — the money is kept in
 *   escrow and a system refund gives it back.
 * If the round changes between the read and the batch, a CHECK aborts the batch; the notification is retried
 * (WeChat redelivers, and the overdue-payment job queries) and the next read decides again.
 */
export type PaymentPlan = { action: "accept" | "refund"; subscription: SubscriptionRow; round: RoundRow; cap: number };

export async function planSubscriptionPayment(d1: D1Database, subscriptionId: string, now: number): Promise<PaymentPlan | null> {
  const [rows, cap] = await Promise.all([
    d1.batch([
      d1.prepare("SELECT * FROM share_subscriptions WHERE id = ?").bind(subscriptionId),
      d1.prepare("SELECT r.* FROM rounds r JOIN share_subscriptions s ON s.round_id = r.id WHERE s.id = ?").bind(subscriptionId),
      d1.prepare("SELECT holders FROM shareholder_count WHERE id = 'all'"),
      d1
        .prepare(
          `SELECT EXISTS (SELECT 1 FROM share_subscriptions WHERE member_id = s.member_id AND status IN ('reserved', 'paid'))
               OR EXISTS (SELECT 1 FROM share_holdings WHERE member_id = s.member_id) AS holds FROM share_subscriptions s WHERE s.id = ?`,
        )
        .bind(subscriptionId),
    ]),
    settingValue(d1, "crowdfunding.holderCap"),
  ]);
  const subscription = rows[0].results[0] as SubscriptionRow | undefined;
  const round = rows[1].results[0] as RoundRow | undefined;
  if (!subscription || !round) return null;
  if (subscription.status === "reserved") return { action: "accept", subscription, round, cap };
  if (subscription.status !== "expired") return { action: "refund", subscription, round, cap }; // already paid/refunded: a duplicate
  const holders = (rows[2].results[0] as { holders: number } | undefined)?.holders ?? 0;
  const alreadyHolds = Boolean((rows[3].results[0] as { holds: number } | undefined)?.holds);
  const open = round.state === "open" && round.closes_at > now;
  const room = round.total_shares - round.sold_shares - round.reserved_shares >= subscription.shares;
  const fits = alreadyHolds || holders < cap;
  return { action: open && room && fits ? "accept" : "refund", subscription, round, cap };
}

/**
 * The subscription's part of the fulfilment batch. The money always goes `wechat_clearing → crowdfund_escrow:<round>`
 * (it was received); an accepted payment also sells the shares, and a refused one leaves the subscription expired
 * for the system refund to return the money from escrow.
 */
export function subscriptionPaidStatements(d1: D1Database, plan: PaymentPlan, transferId: string, now: number): D1PreparedStatement[] {
  const { subscription: s, round } = plan;
  const escrow = transferStatements(
    d1,
    [{ id: transferId, debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("crowdfund_escrow", round.id), amountFen: s.amount_fen, code: "share_subscription", reference: `subscription:${s.id}` }],
    new Date(now),
  );
  if (plan.action === "refund") return escrow;
  return [
    d1.prepare("UPDATE share_subscriptions SET status = 'paid', paid_at = ?2, updated_at = ?2 WHERE id = ?1 AND status = ?3").bind(s.id, now, s.status),
    // Was reserved: the shares move from reserved to sold. Expired: they are sold again, if they still fit (CHECK).
    d1
      .prepare(
        `UPDATE rounds SET reserved_shares = reserved_shares - ?3, sold_shares = sold_shares + ?2, updated_at = ?4
         WHERE id = ?1 AND changes() = 1`,
      )
      .bind(round.id, s.shares, s.status === "reserved" ? s.shares : 0, now),
    claimHolders(d1, plan.cap),
    ...escrow,
  ];
}
