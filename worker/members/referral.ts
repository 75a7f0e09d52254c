import { DAY_MS } from "../calendar/beijing";
import { ApiError } from "../http/problem";
import { settingsStatement, settingValue, type StoredSetting } from "../settings/read";
import { memberBlocked } from "../http/authority";
import { protectionDays } from "./settings";

/** Referral chains are a few levels deep; the cycle walk stops here so a query can never run away. */
export const MAX_CHAIN_DEPTH = 32;

export type BindingSource = "invite_code" | "scene" | "admin" | "seed";
export type BindingOutcome = { status: "bound" | "unchanged"; referrerId: string };

type MemberRow = { id: string; referrer_id: string | null; bound_at: number | null; blocked_at?: number | null };

/** The upline chain from the member selected by `start` (which yields `id, 0`), bounded by MAX_CHAIN_DEPTH. */
const upline = (start: string) => `WITH RECURSIVE chain(id, depth) AS (
    ${start}
    UNION ALL
    SELECT m.referrer_id, chain.depth + 1 FROM members m JOIN chain ON m.id = chain.id
    WHERE m.referrer_id IS NOT NULL AND chain.depth < ${MAX_CHAIN_DEPTH}
  )`;

/**
 * Binds `memberId` to the owner of `inviteCode`. Rules (docs/architecture.md §4): no self-binding, no cycles, the first
 * binding wins until the protection period (settings `referral.protectionDays`, 0 = permanent) has expired.
 *
 * The reads only choose which error to show. The guard is the conditional UPDATE, which re-checks every rule
 * inside one statement (D1 runs one statement at a time), and the binding record is inserted in the same batch
 * only when that UPDATE changed the row, so concurrent requests leave exactly one binding and never a cycle.
 */
export async function bindReferrer(d1: D1Database, memberId: string, inviteCode: string, source: BindingSource, now = Date.now()): Promise<BindingOutcome> {
  const [memberRows, referrerRows, daysRows, chainRows] = await d1.batch<Record<string, unknown>>([
    d1.prepare("SELECT id, referrer_id, bound_at, blocked_at FROM members WHERE id = ?").bind(memberId),
    d1.prepare("SELECT id FROM members WHERE invite_code = ?").bind(inviteCode),
    settingsStatement(d1, [protectionDays]),
    d1.prepare(`${upline("SELECT id, 0 FROM members WHERE invite_code = ?1")} SELECT max(id = ?2) AS closes, max(depth) AS depth FROM chain`).bind(inviteCode, memberId),
  ]);
  const member = memberRows.results[0] as MemberRow | undefined;
  const referrer = referrerRows.results[0] as { id: string } | undefined;
  if (!member) throw ApiError.unauthorized("This member no longer exists.");
  if (member.blocked_at) throw memberBlocked();
  if (!referrer) throw new ApiError(404, "invite-code-not-found", `No member has the invite code ${inviteCode}.`, undefined, "Invite code not found");
  if (referrer.id === memberId) throw new ApiError(422, "referral-self", "A member cannot be their own referrer.", undefined, "Self-referral");
  if (member.referrer_id === referrer.id) return { status: "unchanged", referrerId: referrer.id };

  const days = settingValue(protectionDays, daysRows.results as StoredSetting[]);
  const cutoff = days > 0 ? now - days * DAY_MS : null;
  if (member.referrer_id && (cutoff === null || (member.bound_at ?? 0) >= cutoff)) throw alreadyBound();
  const chain = chainRows.results[0] as { closes: number | null; depth: number | null } | undefined;
  if (chain?.closes) throw cycle();
  if ((chain?.depth ?? 0) >= MAX_CHAIN_DEPTH) throw conflict("referral-chain-too-deep", "Referral chain too deep", "This referrer's chain is too long to join.");

  const [update] = await d1.batch([
    d1
      .prepare(
        `UPDATE members SET referrer_id = ?1, bound_at = ?2
         WHERE id = ?3 AND referrer_id IS NOT ?1
           AND (referrer_id IS NULL OR (?4 IS NOT NULL AND bound_at < ?4))
           AND NOT EXISTS (${upline("SELECT ?1, 0")} SELECT 1 FROM chain WHERE id = ?3 OR depth >= ${MAX_CHAIN_DEPTH})
         RETURNING id`,
      )
      .bind(referrer.id, now, memberId, cutoff),
    // changes() counts the rows of the UPDATE just above: a batch's statements run in order on one connection.
    d1
      .prepare("INSERT INTO referral_bindings (id, member_id, referrer_id, source, created_at) SELECT ?, ?, ?, ?, ? WHERE changes() = 1")
      .bind(crypto.randomUUID(), memberId, referrer.id, source, now),
  ]);
  // The returned row, not meta.changes: D1 counts the rows the referrer2_id triggers touch too (schema/members.ts).
  if (update.results.length === 1) return { status: "bound", referrerId: referrer.id };

  // Lost a race: another binding (or one that would now close a cycle) committed between our reads and the UPDATE.
  const after = await d1.prepare("SELECT id, referrer_id, bound_at FROM members WHERE id = ?").bind(memberId).first<MemberRow>();
  if (after?.referrer_id === referrer.id) return { status: "unchanged", referrerId: referrer.id };
  if (after?.referrer_id) throw alreadyBound();
  throw cycle();
}

function conflict(code: string, title: string, detail: string) {
  return new ApiError(409, code, detail, undefined, title);
}

function alreadyBound() {
  return conflict("referral-already-bound", "Referrer already bound", "This member already has a referrer, protected for the configured period.");
}

function cycle() {
  return conflict("referral-cycle", "Referral cycle", "That referrer is in this member's own downline; binding would close a cycle.");
}
