import { ApiError } from "../http/problem";
import { ELIGIBLE_TO_SUBSCRIBE, VISIBLE_TO_MEMBER } from "./eligibility";
import { HOLDER_CAP_VIOLATION, SHARES_VIOLATION, claimHolders, ensureCounter, recountHolders } from "./holders";
import type { StoredSetting } from "../settings/read";
import { holderCapFrom, holderCapStatement } from "./settings";
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

export type Reservation = { subscription: SubscriptionRow; round: RoundRow; openid: string };

/**
 * Reserves `shares` of a round for a member in ONE batch, with every rule decided by the database:
 * - the subscription row is inserted only if, at that instant, the round is open, inside its window, the member's
 *   LIVE tier is eligible, the acknowledged disclosure is the current version and the shares are within min/max;
 *   one live subscription per member and round is a partial unique index;
 * - the round's `reserved_shares` grows under CHECK(reserved + sold <= total): the last shares go to exactly as
 *   many subscribers as they cover, however many arrive at once;
 * - a member new to the cap table is counted under CHECK(holders <= cap) (holders.ts).
 * Any violation rolls back the whole batch and becomes a 409.
 */
export async function reserveShares(
  d1: D1Database,
  memberId: string,
  roundId: string,
  input: { shares: number; disclosureVersion: number },
  now: number,
  ttlMs: number,
): Promise<Reservation> {
  // One round trip: the round as this member may see it, the member's openid (for the prepay) and the holder cap.
  const [roundRes, memberRes, settingRows] = await d1.batch([
    d1.prepare(`SELECT r.* FROM rounds r WHERE r.id = ?2 AND ${VISIBLE_TO_MEMBER}`).bind(memberId, roundId),
    d1.prepare("SELECT openid FROM members WHERE id = ?").bind(memberId),
    holderCapStatement(d1),
  ]);
  const cap = holderCapFrom(settingRows.results as StoredSetting[]);
  const round = roundRes.results[0] as RoundRow | undefined;
  const openid = (memberRes.results[0] as { openid: string } | undefined)?.openid;
  if (!round) throw ApiError.notFound("No such round.");
  explainRefusal(round, input, now);

  const id = newSubscriptionId(roundId);
  if (!openid) throw ApiError.unauthorized("The member behind this token no longer exists.");
  const expiresAt = Math.min(now + ttlMs, round.closes_at);
  const statements = [
    ensureCounter(d1),
    d1
      .prepare(
        `INSERT INTO share_subscriptions (id, round_id, member_id, shares, amount_fen, status, disclosure_version, disclosure_acked_at, expires_at, created_at, updated_at)
         SELECT ?3, r.id, ?1, ?4, r.share_price_fen * ?4, 'reserved', ?5, ?6, ?7, ?6, ?6 FROM rounds r
         WHERE r.id = ?2 AND r.state = 'open' AND r.opens_at <= ?6 AND r.closes_at > ?6 AND r.disclosure_version = ?5
           AND ?4 BETWEEN r.min_shares AND r.max_shares AND ${ELIGIBLE_TO_SUBSCRIBE}`,
      )
      .bind(memberId, roundId, id, input.shares, input.disclosureVersion, now, expiresAt),
    d1
      .prepare("UPDATE rounds SET reserved_shares = reserved_shares + ?2, updated_at = ?3 WHERE id = ?1 AND EXISTS (SELECT 1 FROM share_subscriptions WHERE id = ?4)")
      .bind(roundId, input.shares, now, id),
    claimHolders(d1, cap),
    d1.prepare("SELECT * FROM share_subscriptions WHERE id = ?").bind(id),
    d1.prepare("SELECT * FROM rounds WHERE id = ?").bind(roundId),
  ];
  let results: D1Result[];
  try {
    results = await d1.batch(statements);
  } catch (error) {
    throw reservationConflict(error) ?? error;
  }
  const subscription = results[results.length - 2].results[0] as SubscriptionRow | undefined;
  const after = results[results.length - 1].results[0] as RoundRow;
  // Not inserted: the round or the member changed between the read and the batch; say which rule failed now.
  if (!subscription) {
    explainRefusal(after, input, now);
    throw ApiError.notFound("No such round.");
  }
  return { subscription, round: after, openid };
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

const roundFull = () => ApiError.conflict("round-full", "剩余份数不足 (not enough shares are left in this round).");

function reservationConflict(error: unknown): ApiError | null {
  const message = String((error as Error)?.message ?? error) + String((error as { cause?: unknown })?.cause ?? "");
  if (SHARES_VIOLATION.test(message)) return roundFull();
  if (HOLDER_CAP_VIOLATION.test(message)) return ApiError.conflict("holder-cap-reached", "股东人数已达上限，暂不接受新的认购人 (the shareholder cap is reached).");
  if (/share_subscriptions\.round_id|share_subscriptions_one_live/.test(message)) {
    return ApiError.conflict("already-subscribed", "您已认购该众筹，请在我的股份中查看 (you already have a subscription to this round).");
  }
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
