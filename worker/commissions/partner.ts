import { beijingDate, beijingDateSql, beijingDayStart, DAY_MS } from "../calendar/beijing";
import { PARTNER_TIERS, type Identity, type Principal } from "../http/auth";
import { authorityStatement, principalFrom, type AuthorityRow } from "../http/authority";
import { decodeCursor, encodeCursor, cursorKey } from "../http/cursor";
import { ApiError } from "../http/problem";
import { accountId, type AccountCode } from "../ledger/accounts";
import { z } from "@hono/zod-openapi";

/** Partner routes join the caller's live authority into their one batch; members below promoter get 403. */
export function partnerFrom(identity: Identity, row: unknown): Principal {
  const p = principalFrom(identity, row as AuthorityRow | undefined);
  if (!PARTNER_TIERS.includes(p.tier)) throw ApiError.forbidden("Only partners (推广员及以上) can use this.");
  return p;
}

export type Earnings = { frozenFen: number; availableFen: number; inFlightFen: number; withdrawnFen: number; debtFen: number; lifetimeFen: number };

type AccountRow = { id: string; debits_posted: number; credits_posted: number; debits_pending: number; credits_pending: number };

const EARNINGS_ACCOUNTS: AccountCode[] = ["commission_frozen", "commission_available", "payout_in_flight", "commission_debt"];

/** The one read behind a member's earnings: their four account rows, by primary key. */
function earningsStatement(d1: D1Database, memberId: string) {
  return d1
    .prepare("SELECT id, debits_posted, credits_posted, debits_pending, credits_pending FROM accounts WHERE id IN (?, ?, ?, ?)")
    .bind(...EARNINGS_ACCOUNTS.map((code) => accountId(code, memberId)));
}

function earningsFrom(memberId: string, rows: AccountRow[]): Earnings {
  const zero: AccountRow = { id: "", debits_posted: 0, credits_posted: 0, debits_pending: 0, credits_pending: 0 };
  const a = (code: AccountCode) => rows.find((r) => r.id === accountId(code, memberId)) ?? zero;
  const frozen = a("commission_frozen"), available = a("commission_available"), inFlight = a("payout_in_flight"), debt = a("commission_debt");
  const frozenFen = frozen.credits_posted - frozen.debits_posted;
  const availableFen = available.credits_posted - available.debits_posted - available.debits_pending;
  const inFlightFen = inFlight.credits_posted + inFlight.credits_pending - inFlight.debits_posted;
  const withdrawnFen = inFlight.debits_posted;
  const debtFen = debt.debits_posted - debt.credits_posted;
  const lifetimeFen = frozenFen + (available.credits_posted - available.debits_posted) + inFlight.credits_posted + inFlight.credits_pending - debtFen;
  return { frozenFen, availableFen, inFlightFen, withdrawnFen, debtFen, lifetimeFen };
}

/**
 * A partner's earnings from their account balances — one query on at most four primary keys, never a sum of history
 * (definitions in the README, 推广中心).
 */
export async function earnings(d1: D1Database, identity: Identity): Promise<Earnings> {
  const [authority, accounts] = await d1.batch([authorityStatement(d1, identity.memberId), earningsStatement(d1, identity.memberId)]);
  partnerFrom(identity, authority.results[0]);
  return earningsFrom(identity.memberId, accounts.results as AccountRow[]);
}

/** The same figures for any member, whatever their tier or standing now (the console's member page). */
export async function memberEarnings(d1: D1Database, memberId: string): Promise<Earnings> {
  return earningsFrom(memberId, (await earningsStatement(d1, memberId).all<AccountRow>()).results);
}

/** A buyer's nickname as other members see it: the first character, then ** (张** ; 微信用户 when unset). */
export const maskNickname = (nickname: string | null) => (nickname ? `${[...nickname][0]}**` : "微信用户");

const commissionCursor = z.tuple([cursorKey.timestampMs, z.string().min(1).max(200)]);

export type CommissionRecord = {
  id: string; orderId: string; title: string; buyerNickname: string; level: number; rateBps: number; baseFen: number; amountFen: number;
  keptFen: number; status: "frozen" | "available" | "cancelled" | "clawed_back"; createdAt: string; availableAt: string;
};

/** The partner's commission records, newest first, keyset-paged on (created_at, id): rows read ≤ limit + 1. */
export async function commissionRecords(d1: D1Database, identity: Identity, limit: number, cursor?: string) {
  const after = cursor ? decodeCursor(cursor, commissionCursor) : null;
  if (cursor && !after) throw ApiError.badRequest("Bad cursor.");
  const [authority, rows] = await d1.batch([
    authorityStatement(d1, identity.memberId),
    d1.prepare(
      `SELECT c.*, o.description, b.nickname FROM commissions c
       JOIN orders o ON o.id = c.order_id LEFT JOIN members b ON b.id = c.buyer_id
       WHERE c.earner_id = ?1 AND (c.created_at, c.id) < (?2, ?3)
       ORDER BY c.created_at DESC, c.id DESC LIMIT ?4`,
      // A row-value bound, so a deep page seeks into the index instead of skipping the pages before it.
    ).bind(identity.memberId, after?.[0] ?? Number.MAX_SAFE_INTEGER, after?.[1] ?? "", limit + 1),
  ]);
  partnerFrom(identity, authority.results[0]);
  type Row = { id: string; order_id: string; description: string; nickname: string | null; level: number; rate_bps: number; base_fen: number; amount_fen: number; cancelled_fen: number; clawed_back_fen: number; status: CommissionRecord["status"]; created_at: number; available_at: number };
  const all = rows.results as Row[];
  const page = all.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r): CommissionRecord => ({
      id: r.id, orderId: r.order_id, title: r.description, buyerNickname: maskNickname(r.nickname), level: r.level, rateBps: r.rate_bps, baseFen: r.base_fen,
      amountFen: r.amount_fen, keptFen: r.amount_fen - r.cancelled_fen - r.clawed_back_fen, status: r.status,
      createdAt: new Date(r.created_at).toISOString(), availableAt: new Date(r.available_at).toISOString(),
    })),
    nextCursor: all.length > limit && last ? encodeCursor([last.created_at, last.id]) : null,
  };
}

const teamCursor = z.tuple([cursorKey.timestampMs, cursorKey.id]);

/** The partner's downline at one level: nickname, avatar, when they joined, whether they have bought — no amounts. */
/** When a member joined their referrer's team: coalesce(bound_at, created_at), spelt as the index spells it. */
const JOINED = "(CASE WHEN m.bound_at IS NULL THEN m.created_at ELSE m.bound_at END)";

export async function team(d1: D1Database, identity: Identity, level: 1 | 2, limit: number, cursor?: string) {
  const after = cursor ? decodeCursor(cursor, teamCursor) : null;
  if (cursor && !after) throw ApiError.badRequest("Bad cursor.");
  // Level 2 through referrer2_id, kept by triggers (schema/members.ts). JOINED is the expression of both team
  // indexes, so a page is read off one of them in order, and the cursor is a row-value bound the index seeks to,
  // however large the team and however deep the page.
  const who = level === 1 ? "m.referrer_id = ?1" : "m.referrer2_id = ?1";
  const [authority, rows] = await d1.batch([
    authorityStatement(d1, identity.memberId),
    d1.prepare(
      `SELECT m.id, m.nickname, m.avatar_url, ${JOINED} AS joined_at,
         EXISTS (SELECT 1 FROM member_spend s WHERE s.member_id = m.id AND s.lifetime_fen > 0) AS has_bought
       FROM members m WHERE ${who} AND (${JOINED}, m.id) < (?2, ?3)
       ORDER BY ${JOINED} DESC, m.id DESC LIMIT ?4`,
    ).bind(identity.memberId, after?.[0] ?? Number.MAX_SAFE_INTEGER, after?.[1] ?? "", limit + 1),
  ]);
  partnerFrom(identity, authority.results[0]);
  type Row = { id: string; nickname: string; avatar_url: string; joined_at: number; has_bought: number };
  const all = rows.results as Row[];
  const page = all.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ nickname: r.nickname || "微信用户", avatarUrl: r.avatar_url, joinedAt: new Date(r.joined_at).toISOString(), hasBought: r.has_bought === 1 })),
    nextCursor: all.length > limit && last ? encodeCursor([last.joined_at, last.id]) : null,
  };
}

/**
 * What the partner earned each day of the last `days` Beijing days (accrued less what refunds took back), for the
 * chart: every day present, oldest first. Reads the commissions of that window only.
 */
export async function dailyEarnings(d1: D1Database, identity: Identity, days: number, now = Date.now()) {
  const since = beijingDayStart(now) - (days - 1) * DAY_MS;
  const [authority, rows] = await d1.batch([
    authorityStatement(d1, identity.memberId),
    d1.prepare(
      `SELECT ${beijingDateSql("created_at")} AS day, sum(amount_fen - cancelled_fen - clawed_back_fen) AS fen
       FROM commissions WHERE earner_id = ?1 AND created_at >= ?2 GROUP BY 1`,
    ).bind(identity.memberId, since),
  ]);
  partnerFrom(identity, authority.results[0]);
  const byDay = new Map((rows.results as { day: string; fen: number }[]).map((r) => [r.day, r.fen]));
  return {
    days: Array.from({ length: days }, (_, i) => {
      const date = beijingDate(since + i * DAY_MS);
      return { date, earnedFen: byDay.get(date) ?? 0 };
    }),
  };
}
