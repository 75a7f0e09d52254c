import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../http/cursor";
import { authorityStatement, principalFrom, type AuthorityRow } from "../http/authority";
import type { Identity } from "../http/principal";
import { ApiError } from "../http/problem";
import { VISIBLE_TO_MEMBER } from "./eligibility";
import { memberRoundView, subscriptionView, type RoundRow, type SubscriptionRow } from "./views";

const RoundKey = z.tuple([cursorKey.timestampMs, cursorKey.id]);

/**
 * The rounds this member may see (by the live tier, joined into the one query), newest first. A member of no
 * eligible tier gets an empty list, the same answer as when no round exists: nothing tells them one does.
 */
export async function listVisibleRounds(d1: D1Database, who: Identity, limit: number, cursor?: string) {
  const memberId = who.memberId;
  let after = "";
  const params: unknown[] = [memberId, limit + 1];
  if (cursor) {
    const key = decodeCursor(cursor, RoundKey);
    if (!key) throw ApiError.validation([{ path: "cursor", message: "Invalid cursor." }]);
    after = "AND (r.opens_at < ?3 OR (r.opens_at = ?3 AND r.id < ?4))";
    params.push(key[0], key[1]);
  }
  // The caller's authority (blocked?) in the same round trip as the rounds.
  const [authority, page] = await d1.batch([
    authorityStatement(d1, memberId),
    d1.prepare(`SELECT r.* FROM rounds r WHERE ${VISIBLE_TO_MEMBER} ${after} ORDER BY r.opens_at DESC, r.id DESC LIMIT ?2`).bind(...params),
  ]);
  principalFrom(who, authority.results[0] as AuthorityRow | undefined);
  const results = page.results as RoundRow[];
  const items = results.slice(0, limit);
  const last = items[items.length - 1];
  return { items: items.map(memberRoundView), nextCursor: results.length > limit && last ? encodeCursor([last.opens_at, last.id]) : null };
}

/** One round with the member's own subscriptions to it, or 404 when the member may not see it (one round trip). */
export async function visibleRound(d1: D1Database, who: Identity, roundId: string) {
  const memberId = who.memberId;
  const [authority, round, subs] = await d1.batch([
    authorityStatement(d1, memberId),
    d1.prepare(`SELECT r.* FROM rounds r WHERE r.id = ?2 AND ${VISIBLE_TO_MEMBER}`).bind(memberId, roundId),
    d1.prepare("SELECT * FROM share_subscriptions WHERE round_id = ? AND member_id = ? ORDER BY created_at DESC LIMIT 20").bind(roundId, memberId),
  ]);
  principalFrom(who, authority.results[0] as AuthorityRow | undefined);
  const row = round.results[0] as RoundRow | undefined;
  if (!row) throw ApiError.notFound("No such round.");
  return { ...memberRoundView(row), mySubscriptions: (subs.results as SubscriptionRow[]).map(subscriptionView) };
}
