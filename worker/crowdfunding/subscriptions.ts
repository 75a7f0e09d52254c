import { principalFrom, type AuthorityRow } from "../http/authority";
import { ApiError } from "../http/problem";
import { NO_COMMISSION_PLAN } from "../orders/kind";
import type { OrderRow } from "../orders/views";
import { ELIGIBLE_TO_SUBSCRIBE, VISIBLE_TO_MEMBER } from "./eligibility";
import { HOLDER_CAP_VIOLATION, SHARES_VIOLATION, claimHolders, ensureCounter, recountHolders } from "./holders";
import { SUBSCRIPTION_DESCRIPTION_MAX, SUBSCRIPTION_DESCRIPTION_PREFIX, shareSubscriptionKind } from "./order-kind";
import { HOLDER_CAP_SQL } from "./settings";
import type { RoundRow, SubscriptionRow } from "./views";

/**
 * `sub.<round>.<random>`: the round is in the id because the subscription is its order's subject, and the order's
 * kind must name the round's escrow account when it builds the settling batch's transfers (it cannot read first).
 */
export const newSubscriptionId = (roundId: string) => `sub.${roundId}.${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;

export function roundIdOfSubscription(subscriptionId: string): string {
  const m = /^sub\.(.+)\.[0-9a-f]+$/.exec(subscriptionId);
  if (!m) throw new Error(`Malformed subscription id ${subscriptionId}`);
  return m[1];
}

export type Reservation = {
  /** The member's live subscription to the round: the one just reserved, or the one already waiting for its payment. */
  subscription: SubscriptionRow;
  /** Its `share_subscription` order, placed in the same batch (null only for a reservation older than that rule). */
  order: OrderRow | null;
  round: RoundRow;
  openid: string;
  /** True when this call reserved the shares; false when it found the same reservation waiting for its payment. */
  created: boolean;
};

const LIVE = "status IN ('reserved', 'paid')";

/**
 * Reserves `shares` of a round for a member and places the reservation's order, in ONE batch and ONE round trip,
 * with every rule decided by the database:
 * - the subscription row is inserted only if, at that instant, the round is open, inside its window, the member's
 *   LIVE tier is eligible and the member is not blocked, the acknowledged disclosure is the current version, the
 *   shares are within min/max and the member has no live subscription to the round (also a partial unique index);
 * - the round's `reserved_shares` grows under CHECK(reserved + sold <= total): the last shares go to exactly as
 *   many subscribers as they cover, however many arrive at once;
 * - a member new to the cap table is counted under CHECK(holders <= cap), the cap read in SQL (holders.ts);
 * - the `share_subscription` order is inserted from the subscription row (so only when it was), as `createOrder`
 *   would place it, with the subscription pointing at it;
 * - the batch ends by reading the outcome: the member's live subscription and its order, the round as the member
 *   may see it, and the member (authority and openid).
 * Any CHECK violation rolls back the whole batch and becomes a 409; a guard that kept the row out is explained
 * from the rows read at the end, so nothing is read before the batch.
 */
export async function reserveShares(
  d1: D1Database,
  memberId: string,
  roundId: string,
  input: { shares: number; disclosureVersion: number },
  now: number,
  orderId: string,
): Promise<Reservation> {
  const id = newSubscriptionId(roundId);
  const kind = shareSubscriptionKind;
  const statements = [
    ensureCounter(d1),
    d1
      .prepare(
        `INSERT INTO share_subscriptions (id, round_id, member_id, shares, amount_fen, status, order_id, disclosure_version, disclosure_acked_at, expires_at, created_at, updated_at)
         SELECT ?3, r.id, ?1, ?4, r.share_price_fen * ?4, 'reserved', ?8, ?5, ?6, min(?7, r.closes_at), ?6, ?6 FROM rounds r
         WHERE r.id = ?2 AND r.state = 'open' AND r.opens_at <= ?6 AND r.closes_at > ?6 AND r.disclosure_version = ?5
           AND ?4 BETWEEN r.min_shares AND r.max_shares AND ${ELIGIBLE_TO_SUBSCRIBE}
           AND NOT EXISTS (SELECT 1 FROM members b WHERE b.id = ?1 AND b.blocked_at IS NOT NULL)
           AND NOT EXISTS (SELECT 1 FROM share_subscriptions l WHERE l.round_id = r.id AND l.member_id = ?1 AND l.${LIVE})`,
      )
      .bind(memberId, roundId, id, input.shares, input.disclosureVersion, now, now + kind.ttlMs, orderId),
    d1
      .prepare("UPDATE rounds SET reserved_shares = reserved_shares + ?2, updated_at = ?3 WHERE id = ?1 AND EXISTS (SELECT 1 FROM share_subscriptions WHERE id = ?4)")
      .bind(roundId, input.shares, now, id),
    claimHolders(d1, HOLDER_CAP_SQL),
    // The order createOrder would place for this subject (its open key, time to live, no commission plan).
    d1
      .prepare(
        `INSERT INTO orders (id, kind, member_id, subject_id, open_key, description, amount_fen, status, expires_at, created_at, updated_at,
           referrer1_id, referrer2_id, commission_plan)
         SELECT ?1, ?2, s.member_id, s.id, ?3, substr(?4 || r.title, 1, ?5), s.amount_fen, 'pending', ?6 + ?7, ?6, ?6, NULL, NULL, ?8
         FROM share_subscriptions s JOIN rounds r ON r.id = s.round_id WHERE s.id = ?9`,
      )
      .bind(orderId, kind.name, kind.openKey({ memberId, subjectId: id }), SUBSCRIPTION_DESCRIPTION_PREFIX, SUBSCRIPTION_DESCRIPTION_MAX, now, kind.ttlMs, NO_COMMISSION_PLAN, id),
    // The outcome, read at the end of the same batch.
    d1.prepare(`SELECT * FROM share_subscriptions WHERE round_id = ?1 AND member_id = ?2 AND ${LIVE}`).bind(roundId, memberId),
    d1.prepare(`SELECT * FROM orders WHERE id = (SELECT order_id FROM share_subscriptions WHERE round_id = ?1 AND member_id = ?2 AND ${LIVE})`).bind(roundId, memberId),
    d1.prepare(`SELECT r.*, ${ELIGIBLE_TO_SUBSCRIBE} AS eligible FROM rounds r WHERE r.id = ?2 AND ${VISIBLE_TO_MEMBER}`).bind(memberId, roundId),
    d1.prepare("SELECT tier, roles, blocked_at AS blockedAt, openid FROM members WHERE id = ?").bind(memberId),
  ];
  let results: D1Result[];
  try {
    results = await d1.batch(statements);
  } catch (error) {
    throw reservationConflict(error) ?? error;
  }
  const [, inserted] = results;
  const [live, order, visible, member] = results.slice(-4).map((r) => r.results[0]) as [
    SubscriptionRow | undefined, OrderRow | undefined, (RoundRow & { eligible: number }) | undefined, (AuthorityRow & { openid: string }) | undefined,
  ];
  // The same refusals, in the same order, as when they were read before the batch.
  principalFrom({ memberId }, member);
  const openid = member!.openid;
  if (!visible) throw ApiError.notFound("No such round.");
  const { eligible, ...round } = visible;
  if (inserted.meta.changes === 1 && live?.id === id) return { subscription: live, order: order ?? null, round, openid, created: true };
  explainRefusal(round, input, now);
  if (!eligible) throw ApiError.notFound("No such round.");
  if (!live) throw ApiError.notFound("No such round.");
  // Asking again for the same shares while the reservation waits for its payment gives the same order again.
  if (live.status !== "reserved" || live.shares !== input.shares || live.expires_at <= now || (order && (order.status !== "pending" || order.expires_at <= now))) {
    throw alreadySubscribed();
  }
  return { subscription: live, order: order ?? null, round, openid, created: false };
}

function explainRefusal(round: RoundRow, input: { shares: number; disclosureVersion: number }, now: number) {
  if (round.state !== "open" || round.opens_at > now || round.closes_at <= now) throw ApiError.conflict("round-not-open", "该众筹当前不在认购期内 (the round is not open for subscriptions).");
  if (input.disclosureVersion !== round.disclosure_version) {
    throw ApiError.conflict("disclosure-outdated", `风险揭示书已更新，请阅读第 ${round.disclosure_version} 版后再认购 (acknowledge the current risk disclosure).`);
  }
  if (input.shares < round.min_shares || input.shares > round.max_shares) {
    throw new ApiError(422, "validation-failed", `认购份数须在 ${round.min_shares}–${round.max_shares} 份之间.`, [{ path: "shares", message: `须在 ${round.min_shares}–${round.max_shares} 份之间` }]);
  }
  if (round.total_shares - round.sold_shares - round.reserved_shares < input.shares) throw roundFull();
}

const alreadySubscribed = () => ApiError.conflict("already-subscribed", "您已认购该众筹，请在我的股份中查看 (you already have a subscription to this round).");
const roundFull = () => ApiError.conflict("round-full", "剩余份数不足 (not enough shares are left in this round).");

function reservationConflict(error: unknown): ApiError | null {
  const message = String((error as Error)?.message ?? error) + String((error as { cause?: unknown })?.cause ?? "");
  if (SHARES_VIOLATION.test(message)) return roundFull();
  if (HOLDER_CAP_VIOLATION.test(message)) return ApiError.conflict("holder-cap-reached", "股东人数已达上限，暂不接受新的认购人 (the shareholder cap is reached).");
  if (/share_subscriptions\.round_id|share_subscriptions_one_live/.test(message)) return alreadySubscribed();
  return null;
}

/**
 * Statements that expire a reserved subscription and give its shares back, for the batch that closes its order
 * (or the round). `changes()` gates the release on the status flip just before it, so a subscription already
 * paid, expired or refunded releases nothing.
 */
export function expireReservationStatements(d1: D1Database, subscriptionId: string, now: number, gate: { sql: string; params: unknown[] } = { sql: "1", params: [] }): D1PreparedStatement[] {
  return [
    d1.prepare(`UPDATE share_subscriptions SET status = 'expired', updated_at = ? WHERE id = ? AND status = 'reserved' AND ${gate.sql}`).bind(now, subscriptionId, ...gate.params),
    d1
      .prepare(
        `UPDATE rounds SET reserved_shares = reserved_shares - (SELECT shares FROM share_subscriptions WHERE id = ?1), updated_at = ?2
         WHERE id = (SELECT round_id FROM share_subscriptions WHERE id = ?1) AND changes() = 1`,
      )
      .bind(subscriptionId, now),
    recountHolders(d1),
  ];
}
