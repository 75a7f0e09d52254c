import { ApiError } from "../http/problem";
import { adminRoundView, subscriptionView, type RoundRow, type SubscriptionRow } from "./views";

export type SubscriberRow = SubscriptionRow & { nickname: string; openid: string; order_status: string | null };
export type CapTableRow = { member_id: string; nickname: string; round_id: string; round_title: string; shares: number; acquired_at: number };

/** A round with its subscribers (and their orders' state), its state history and its refunds, in one round trip. */
export async function roundForAdmin(d1: D1Database, id: string) {
  const [round, subs, history, refunds] = await d1.batch([
    d1.prepare("SELECT * FROM rounds WHERE id = ?").bind(id),
    d1
      .prepare(
        `SELECT s.*, m.nickname, m.openid, o.status AS order_status FROM share_subscriptions s JOIN members m ON m.id = s.member_id
         LEFT JOIN orders o ON o.id = s.order_id WHERE s.round_id = ? ORDER BY s.created_at LIMIT 500`,
      )
      .bind(id),
    d1.prepare("SELECT from_state, to_state, actor_id, reason, created_at FROM round_state_changes WHERE round_id = ? ORDER BY created_at, id").bind(id),
    d1
      .prepare(
        `SELECT f.id, f.order_id, f.amount_fen, f.status, f.reason, f.created_at, f.settled_at, s.member_id FROM refunds f
         JOIN share_subscriptions s ON s.order_id = f.order_id WHERE s.round_id = ? ORDER BY f.created_at LIMIT 500`,
      )
      .bind(id),
  ]);
  const row = round.results[0] as RoundRow | undefined;
  if (!row) throw ApiError.notFound("No such round.");
  return {
    round: adminRoundView(row),
    subscribers: (subs.results as SubscriberRow[]).map((s) => ({ ...subscriptionView(s), nickname: s.nickname, orderStatus: s.order_status })),
    history: (history.results as { from_state: string | null; to_state: string; actor_id: string; reason: string; created_at: number }[]).map((h) => ({
      from: h.from_state,
      to: h.to_state,
      actorId: h.actor_id,
      reason: h.reason,
      at: new Date(h.created_at).toISOString(),
    })),
    refunds: (refunds.results as { id: string; order_id: string; amount_fen: number; status: string; reason: string; created_at: number; settled_at: number | null; member_id: string }[]).map((f) => ({
      id: f.id,
      orderId: f.order_id,
      memberId: f.member_id,
      amountFen: f.amount_fen,
      status: f.status,
      reason: f.reason,
      createdAt: new Date(f.created_at).toISOString(),
      settledAt: f.settled_at === null ? null : new Date(f.settled_at).toISOString(),
    })),
  };
}

/** The cap table: every holding, with each holder's total and part of all issued shares. */
export async function capTable(d1: D1Database) {
  const { results } = await d1
    .prepare(
      `SELECT h.member_id, m.nickname, h.round_id, r.title AS round_title, h.shares, h.acquired_at FROM share_holdings h
       JOIN members m ON m.id = h.member_id JOIN rounds r ON r.id = h.round_id ORDER BY h.member_id, h.acquired_at`,
    )
    .all<CapTableRow>();
  const issued = results.reduce((a, r) => a + r.shares, 0);
  const holders = new Map<string, { memberId: string; nickname: string; shares: number; holdings: { roundId: string; roundTitle: string; shares: number }[] }>();
  for (const r of results) {
    const h = holders.get(r.member_id) ?? { memberId: r.member_id, nickname: r.nickname, shares: 0, holdings: [] };
    h.shares += r.shares;
    h.holdings.push({ roundId: r.round_id, roundTitle: r.round_title, shares: r.shares });
    holders.set(r.member_id, h);
  }
  return {
    issuedShares: issued,
    holders: [...holders.values()].map((h) => ({ ...h, percentBps: issued === 0 ? 0 : Math.floor((h.shares * 10_000) / issued) })),
  };
}

/** RFC 4180 CSV of the cap table; a cell that starts like a formula is quoted with a leading apostrophe. */
export function capTableCsv(table: Awaited<ReturnType<typeof capTable>>): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  const lines = [["member_id", "nickname", "round_id", "round_title", "shares", "member_total_shares", "member_percent"].join(",")];
  for (const h of table.holders) {
    for (const x of h.holdings) {
      lines.push([h.memberId, h.nickname, x.roundId, x.roundTitle, x.shares, h.shares, (h.percentBps / 100).toFixed(2)].map(cell).join(","));
    }
  }
  return lines.join("\r\n") + "\r\n";
}
