import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../http/cursor";
import { ApiError } from "../http/problem";
import { VISIBLE_TO_MEMBER } from "./eligibility";
import { memberRoundView, subscriptionView, type RoundRow, type SubscriptionRow } from "./views";

const RoundKey = z.tuple([cursorKey.timestampMs, cursorKey.id]);

/**
 * The rounds this member may see (by the live tier, joined into the one query), newest first. A member of no
 * eligible tier gets an empty list, the same answer as when no round exists: nothing tells them one does.
 */
export async function listVisibleRounds(d1: D1Database, memberId: string, limit: number, cursor?: string) {
  let after = "";
  const params: unknown[] = [memberId, limit + 1];
  if (cursor) {
    const key = decodeCursor(cursor, RoundKey);
    if (!key) throw ApiError.validation([{ path: "cursor", message: "Invalid cursor." }]);
    after = "AND (r.opens_at < ?3 OR (r.opens_at = ?3 AND r.id < ?4))";
    params.push(key[0], key[1]);
  }
  const { results } = await d1
    .prepare(`SELECT r.* FROM rounds r WHERE ${VISIBLE_TO_MEMBER} ${after} ORDER BY r.opens_at DESC, r.id DESC LIMIT ?2`)
    .bind(...params)
    .all<RoundRow>();
  const items = results.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(memberRoundView), nextCursor: results.length > limit && last ? encodeCursor([last.opens_at, last.id]) : null };
}

/** One round with the member's own subscriptions to it, or 404 when the member may not see it (one round trip). */
export async function visibleRound(d1: D1Database, memberId: string, roundId: string) {
  const [round, subs] = await d1.batch([
    d1.prepare(`SELECT r.* FROM rounds r WHERE r.id = ?2 AND ${VISIBLE_TO_MEMBER}`).bind(memberId, roundId),
    d1.prepare("SELECT * FROM share_subscriptions WHERE round_id = ? AND member_id = ? ORDER BY created_at DESC LIMIT 20").bind(roundId, memberId),
  ]);
  const row = round.results[0] as RoundRow | undefined;
  if (!row) throw ApiError.notFound("No such round.");
  return { ...memberRoundView(row), mySubscriptions: (subs.results as SubscriptionRow[]).map(subscriptionView) };
}
