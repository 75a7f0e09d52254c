import { createOrder, type PlacedOrder } from "../orders/create";
import { ApiError } from "../http/problem";
import { SUBSCRIPTION_TTL_MS, shareSubscriptionKind } from "./order-kind";
import { reserveShares } from "./subscriptions";
import type { SubscriptionRow } from "./views";

export type Subscribed = PlacedOrder & { subscription: SubscriptionRow };

/**
 * Subscribes: reserves the shares (one batch, every rule in the database: subscriptions.ts), then opens the
 * subscription's `share_subscription` order and asks WeChat Pay for a prepay. If the prepay fails the reservation
 * stays until its order expires (the orders module closes it, and the close releases the shares).
 * Asking again for the same shares while the reservation waits for its payment gives the same order, freshly
 * signed (200); any other second subscription to the round is a 409.
 */
export async function subscribe(env: Env, memberId: string, roundId: string, input: { shares: number; disclosureVersion: number }, now = new Date()): Promise<Subscribed> {
  const d1 = env.DB;
  let subscription: SubscriptionRow;
  let title: string;
  let openid: string;
  try {
    const r = await reserveShares(d1, memberId, roundId, input, now.getTime(), SUBSCRIPTION_TTL_MS);
    ({ subscription, openid } = r);
    title = r.round.title;
  } catch (e) {
    if (!(e instanceof ApiError && e.code === "already-subscribed")) throw e;
    const [live, member, round] = await d1.batch([
      d1.prepare("SELECT * FROM share_subscriptions WHERE round_id = ? AND member_id = ? AND status IN ('reserved', 'paid')").bind(roundId, memberId),
      d1.prepare("SELECT openid FROM members WHERE id = ?").bind(memberId),
      d1.prepare("SELECT title FROM rounds WHERE id = ?").bind(roundId),
    ]);
    const existing = live.results[0] as SubscriptionRow | undefined;
    if (!existing || existing.status !== "reserved" || existing.shares !== input.shares || existing.expires_at <= now.getTime()) throw e;
    subscription = existing;
    openid = (member.results[0] as { openid: string }).openid;
    title = (round.results[0] as { title: string }).title;
  }
  const placed = await createOrder(env, shareSubscriptionKind, { memberId, openid }, { id: subscription.id, title }, subscription.amount_fen, { now });
  if (subscription.order_id !== placed.order.id) {
    await d1.prepare("UPDATE share_subscriptions SET order_id = ? WHERE id = ? AND order_id IS NULL").bind(placed.order.id, subscription.id).run();
    subscription = { ...subscription, order_id: placed.order.id };
  }
  return { ...placed, subscription, created: placed.created };
}
