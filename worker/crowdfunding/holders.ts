/**
 * The distinct-shareholder cap, kept by the database (see `shareholder_count` in schema/crowdfunding.ts).
 *
 * Holders are recounted inside the batch that changes them — members with a reserved or paid subscription or a
 * holding — so the count cannot drift, however reservations expire, get paid or are refunded. A batch that may
 * add a holder writes the recount together with the current cap setting, but only when the recount differs from
 * the stored count: a member who already holds (or already reserved) adds nobody and is never refused, even if
 * the cap was lowered below today's holders. A new member past the cap fails CHECK(holders <= cap), which rolls
 * the whole batch back — the reservation included — and concurrent batches are serialized by D1, so exactly
 * `cap` distinct members get in.
 */
const RECOUNT = `(SELECT count(*) FROM (
  SELECT member_id FROM share_subscriptions WHERE status IN ('reserved', 'paid')
  UNION SELECT member_id FROM share_holdings))`;

/** Put first in any batch that claims: creates the single counter row the first time. */
export const ensureCounter = (d1: D1Database) => d1.prepare("INSERT INTO shareholder_count (id, holders, cap) VALUES ('all', 0, 200) ON CONFLICT DO NOTHING");

/**
 * After the statements that may add a holder: recount under the current cap (aborts the batch past it). `capSql` is
 * the cap setting as an SQL expression (`HOLDER_CAP_SQL`), so the batch needs no read before it.
 */
export const claimHolders = (d1: D1Database, capSql: string) =>
  d1.prepare(`UPDATE shareholder_count SET holders = ${RECOUNT}, cap = ${capSql} WHERE id = 'all' AND holders <> ${RECOUNT}`);

/**
 * The count follows, the cap stays: after statements that can only remove holders (expiry, refund), and in a batch
 * that cannot read the setting first (an order kind's fulfilment), which checks in SQL that the member fits under
 * the cap last written before it adds them.
 */
export const recountHolders = (d1: D1Database) => d1.prepare(`UPDATE shareholder_count SET holders = ${RECOUNT} WHERE id = 'all' AND holders <> ${RECOUNT}`);

export const HOLDER_CAP_VIOLATION = /shareholder_count_within_cap/;
export const SHARES_VIOLATION = /rounds_shares_within_total/;

export async function holderCount(d1: D1Database): Promise<{ holders: number; cap: number | null }> {
  const row = await d1.prepare("SELECT holders, cap FROM shareholder_count WHERE id = 'all'").first<{ holders: number; cap: number }>();
  return { holders: row?.holders ?? 0, cap: row?.cap ?? null };
}
