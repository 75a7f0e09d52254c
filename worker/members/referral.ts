import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";

export const PROTECTION_DAYS_KEY = "referral.protectionDays";
/** Referral chains are a few levels deep; the cycle walk stops here so a query can never run away. */
export const MAX_CHAIN_DEPTH = 32;
const DAY_MS = 24 * 60 * 60 * 1000;

export type BindingSource = "invite_code" | "scene" | "admin" | "seed";
export type BindingOutcome = { status: "bound" | "unchanged"; referrerId: string };

type MemberRow = { id: string; referrer_id: string | null; bound_at: number | null };

function conflict(code: string, title: string, detail: string) {
  return new ApiError(409, code, detail, undefined, title);
}

/** The upline chain starting at `start` (a one-row `SELECT id, 0`), bounded by MAX_CHAIN_DEPTH. */
function upline(start: SQL) {
  return sql`WITH RECURSIVE chain(id, depth) AS (
      ${start}
      UNION ALL
      SELECT m.referrer_id, chain.depth + 1 FROM members m JOIN chain ON m.id = chain.id
      WHERE m.referrer_id IS NOT NULL AND chain.depth < ${MAX_CHAIN_DEPTH}
    )`;
}

/**
 * Binds `memberId` to the owner of `inviteCode`. Rules (DESIGN.md §4): no self-binding, no cycles, the first
 * binding wins until the protection period (settings `referral.protectionDays`, 0 = permanent) has expired.
 *
 * The reads only choose the error to show. The guard is the conditional UPDATE, which re-checks every rule
 * inside one statement, and the binding record is inserted in the same batch only when that UPDATE changed
 * the row, so concurrent requests leave exactly one binding and never a cycle.
 */
export async function bindReferrer(db: Db, memberId: string, inviteCode: string, source: BindingSource, now = Date.now()): Promise<BindingOutcome> {
  const [memberRows, referrerRows, daysRows, chainRows] = await db.batch([
    db.all<MemberRow>(sql`SELECT id, referrer_id, bound_at FROM members WHERE id = ${memberId}`),
    db.all<{ id: string }>(sql`SELECT id FROM members WHERE invite_code = ${inviteCode}`),
    db.all<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${PROTECTION_DAYS_KEY}`),
    db.all<{ closes: number | null; depth: number | null }>(
      sql`${upline(sql`SELECT id, 0 FROM members WHERE invite_code = ${inviteCode}`)}
        SELECT max(id = ${memberId}) AS closes, max(depth) AS depth FROM chain`,
    ),
  ]);
  const member = memberRows[0];
  const referrer = referrerRows[0];
  if (!member) throw ApiError.unauthorized("This member no longer exists.");
  if (!referrer) throw new ApiError(404, "invite-code-not-found", `No member has the invite code ${inviteCode}.`, undefined, "Invite code not found");
  if (referrer.id === memberId) throw new ApiError(422, "referral-self", "A member cannot be their own referrer.", undefined, "Self-referral");
  if (member.referrer_id === referrer.id) return { status: "unchanged", referrerId: referrer.id };

  const days = protectionDaysFrom(daysRows[0]?.value);
  const cutoff = days > 0 ? now - days * DAY_MS : null;
  if (member.referrer_id && (cutoff === null || (member.bound_at ?? 0) >= cutoff)) throw alreadyBound();

  if (chainRows[0]?.closes) throw cycle();
  if ((chainRows[0]?.depth ?? 0) >= MAX_CHAIN_DEPTH) throw conflict("referral-chain-too-deep", "Referral chain too deep", "This referrer's chain is too long to join.");

  const rebindable = cutoff === null ? sql`referrer_id IS NULL` : sql`(referrer_id IS NULL OR bound_at < ${cutoff})`;
  const [update] = await db.batch([
    db.run(sql`UPDATE members SET referrer_id = ${referrer.id}, bound_at = ${now}
      WHERE id = ${memberId} AND ${rebindable} AND referrer_id IS NOT ${referrer.id}
        AND NOT EXISTS (${upline(sql`SELECT ${referrer.id}, 0`)} SELECT 1 FROM chain WHERE id = ${memberId} OR depth >= ${MAX_CHAIN_DEPTH})`),
    // changes() is the row count of the UPDATE just above: D1 runs a batch's statements in order on one connection.
    db.run(sql`INSERT INTO referral_bindings (id, member_id, referrer_id, source, created_at)
      SELECT ${crypto.randomUUID()}, ${memberId}, ${referrer.id}, ${source}, ${now} WHERE changes() = 1`),
  ]);
  if (update.meta.changes === 1) return { status: "bound", referrerId: referrer.id };

  // Lost a race: someone else's binding (or one that closes a cycle) committed between our reads and the UPDATE.
  const [after] = await db.all<MemberRow>(sql`SELECT id, referrer_id, bound_at FROM members WHERE id = ${memberId}`);
  if (after?.referrer_id === referrer.id) return { status: "unchanged", referrerId: referrer.id };
  if (after?.referrer_id) throw alreadyBound();
  throw cycle();
}

/** Settings hold JSON; anything but a positive whole number of days means "permanent". */
export function protectionDaysFrom(value: unknown): number {
  let n: number;
  try {
    n = Number(typeof value === "string" ? JSON.parse(value) : value);
  } catch {
    return 0;
  }
  return Number.isInteger(n) && n > 0 ? n : 0;
}

function alreadyBound() {
  return conflict("referral-already-bound", "Referrer already bound", "This member already has a referrer, protected for the configured period.");
}

function cycle() {
  return conflict("referral-cycle", "Referral cycle", "That referrer is in this member's own downline; binding would close a cycle.");
}
