import { createOrder, payParamsFor, type PlacedOrder } from "../orders/create";
import { newOrderId } from "../orders/ids";
import { orderView } from "../orders/views";
import { shareSubscriptionKind } from "./order-kind";
import { reserveShares } from "./subscriptions";
import type { SubscriptionRow } from "./views";

export type Subscribed = PlacedOrder & { subscription: SubscriptionRow };

/**
 * Subscribes in at most two D1 round trips: ONE batch reserves the shares and places the subscription's
 * `share_subscription` order, every rule decided by the database (subscriptions.ts); then WeChat Pay is asked for a
 * prepay and its id is stored on the order (one statement, payParamsFor). If the prepay fails the reservation stays
 * until its order expires (the orders module closes it, and the close releases the shares).
 * Asking again for the same shares while the reservation waits for its payment gives the same order, freshly
 * signed (200, one round trip when its prepay is still fresh); any other second subscription to the round is a 409.
 */
export async function subscribe(env: Env, memberId: string, roundId: string, input: { shares: number; disclosureVersion: number }, now = new Date()): Promise<Subscribed> {
  const d1 = env.DB;
  const r = await reserveShares(d1, memberId, roundId, input, now.getTime(), newOrderId(now));
  let subscription = r.subscription;
  if (r.order) {
    return { subscription, order: orderView(r.order), payParams: await payParamsFor(env, r.order, r.openid, now), created: r.created };
  }
  // A reservation from before its order was placed in the same batch: place (or find) its order the general way.
  const placed = await createOrder(env, shareSubscriptionKind, { memberId, openid: r.openid }, { id: subscription.id, title: r.round.title }, subscription.amount_fen, { now });
  await d1.prepare("UPDATE share_subscriptions SET order_id = ? WHERE id = ? AND order_id IS NULL").bind(placed.order.id, subscription.id).run();
  subscription = { ...subscription, order_id: placed.order.id };
  return { ...placed, subscription, created: r.created };
}
