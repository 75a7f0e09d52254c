import { auditStatement } from "../audit/log";
import { beijingDate } from "../calendar/beijing";
import { partnerOnly, type Identity } from "../http/auth";
import { authorityStatement, principalFrom, type AuthorityRow } from "../http/authority";
import type { StoredSetting } from "../settings/read";
import { ApiError } from "../http/problem";
import { accountId } from "../ledger/accounts";
import { balances, ledgerError, transferStatements } from "../ledger/service";
import { REAL_NAME_REQUIRED_FROM_FEN, TRANSFER_MIN_FEN } from "../wechat/pay/transfers";
import { requestPostings } from "./ledger-postings";
import { loadPayoutRules, payoutRulesFrom, payoutRulesStatement, withdrawalFee, type PayoutRules } from "./rules";
import { decodeWithdrawalCursor, encodeWithdrawalCursor, withdrawalView, type WithdrawalRow, type WithdrawalView } from "./views";

type PayeeApp = { mchId: string; appId: string };
export const payeeApp = (env: Pick<Env, "WECHATPAY_MCHID" | "WECHAT_APPID">): PayeeApp => ({ mchId: env.WECHATPAY_MCHID, appId: env.WECHAT_APPID });

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** A withdrawal id, also WeChat's out_bill_no (5–32 letters and digits): `W` + UTC date + 16 random characters. */
export function newWithdrawalId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, "");
  return `W${day}${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => ALPHABET[b % ALPHABET.length]).join("")}`;
}

const refused = (code: string, detail: string) => ApiError.conflict(code, detail);

/** What a member can withdraw from each source now: posted credits less posted and pending debits. */
const withdrawableStatement = (d1: D1Database, memberId: string) =>
  d1.prepare(
    `SELECT coalesce(sum(CASE WHEN code = 'commission_available' THEN credits_posted - debits_posted - debits_pending END), 0) AS commission,
            coalesce(sum(CASE WHEN code = 'dividends_payable' THEN credits_posted - debits_posted - debits_pending END), 0) AS dividends
     FROM accounts WHERE id IN (?, ?)`,
  ).bind(accountId("commission_available", memberId), accountId("dividends_payable", memberId));
type Withdrawable = { commission: number; dividends: number };

/**
 * How often a request splits again after a stale split was refused. Each refusal means a batch that debited one of
 * the member's sources committed in between (their own concurrent requests, a clawback), so the loop makes
 * progress; the bound only guards against a pathological storm.
 */
const MAX_ATTEMPTS = 32;

/**
 * Requests a withdrawal of `amountFen`, drawn from the partner's available commission first and from their
 * dividends payable for the rest.
 *
 * Why concurrent requests can never exceed the balance or the daily limits: everything is ONE batch — the daily
 * counter upsert (its CHECKs compare the new count and sum with the limits stamped in the same row), the
 * withdrawal row, its audit row and the pending ledger transfers (each source account's CHECK counts pending
 * debits against its balance). D1 runs batches one after another, so each sees the ones before; any CHECK that
 * fails rolls the whole batch back and nothing is written. The split between the two sources is read before the
 * batch, so a concurrent request can make it stale: the CHECK then refuses it, and the request splits again from
 * fresh balances while the two together still cover the amount.
 */
export async function requestWithdrawal(env: Env, caller: Identity, amountFen: number, requestId?: string, now = new Date()): Promise<WithdrawalView> {
  const d1 = env.DB;
  // One round trip reads the caller's live tier and block, the rules in force, whether a real name is on file and
  // what each source holds; the second is the money batch. Two in all when nothing concurrent intervenes.
  const [authority, ruleRows, profile, sources] = await d1.batch([
    authorityStatement(d1, caller.memberId),
    payoutRulesStatement(d1),
    d1.prepare("SELECT 1 AS ok FROM payee_profiles WHERE member_id = ?").bind(caller.memberId),
    withdrawableStatement(d1, caller.memberId),
  ]);
  const who = partnerOnly(principalFrom(caller, authority.results[0] as AuthorityRow | undefined));
  const rules = payoutRulesFrom(ruleRows.results as StoredSetting[]);
  if (amountFen < rules.minimumFen) throw refused("withdrawal-below-minimum", `The smallest withdrawal is ${rules.minimumFen} fen.`);
  const feeFen = withdrawalFee(rules, amountFen);
  const netFen = amountFen - feeFen;
  if (netFen < TRANSFER_MIN_FEN) throw refused("withdrawal-below-minimum", `After the fee less than WeChat's smallest transfer (${TRANSFER_MIN_FEN} fen) would remain.`);
  if (netFen >= REAL_NAME_REQUIRED_FROM_FEN && profile.results.length === 0) {
    throw refused("real-name-required", "WeChat requires the payee's real name for transfers from ¥2,000: set it first.");
  }

  const id = newWithdrawalId(now);
  const t = now.getTime();
  const day = beijingDate(now.getTime());
  let withdrawable = sources.results[0] as Withdrawable;
  let dividendsFen = 0;
  for (let attempt = 1; ; attempt++) {
    if (withdrawable.commission + withdrawable.dividends < amountFen) {
      throw refused("insufficient-balance", "The available commission and dividends do not cover this withdrawal.");
    }
    dividendsFen = amountFen - Math.min(amountFen, Math.max(0, withdrawable.commission));
    const postings = requestPostings({ id, memberId: who.memberId, netFen, feeFen, dividendsFen });
    try {
      await d1.batch([
        d1.prepare(
          `INSERT INTO withdrawal_days (member_id, day, count, amount_fen, max_count, max_amount_fen) VALUES (?1, ?2, 1, ?3, ?4, ?5)
           ON CONFLICT (member_id, day) DO UPDATE SET count = count + 1, amount_fen = amount_fen + excluded.amount_fen,
             max_count = excluded.max_count, max_amount_fen = excluded.max_amount_fen`,
        ).bind(who.memberId, day, amountFen, rules.dailyCount, rules.dailyAmountFen),
        d1.prepare(
          `INSERT INTO withdrawals (id, member_id, amount_fen, fee_fen, net_fen, dividends_fen, status, day, requires_second_approval, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)`,
        ).bind(id, who.memberId, amountFen, feeFen, netFen, dividendsFen, day, amountFen >= rules.secondApprovalFromFen ? 1 : 0, t, t),
        ...transferStatements(d1, postings, now),
        auditStatement(d1, {
          actorId: who.memberId, actorKind: "member", action: "withdrawal.requested", targetType: "withdrawal", targetId: id, requestId,
          after: { amountFen, feeFen, netFen, dividendsFen },
        }),
      ]);
      break;
    } catch (e) {
      const message = String((e as Error)?.message ?? e) + String((e as { cause?: unknown })?.cause ?? "");
      if (/withdrawal_days_count_limit/.test(message)) throw refused("withdrawal-daily-count-exceeded", `At most ${rules.dailyCount} withdrawals a day.`);
      if (/withdrawal_days_amount_limit/.test(message)) throw refused("withdrawal-daily-amount-exceeded", `At most ${rules.dailyAmountFen} fen a day.`);
      // The transfer ids come from this request's fresh withdrawal id, so the batch can never be a replay of a
      // recorded one: no need to look the transfers up (explainTransferFailure) — the guard that aborted says it all.
      const ledger = ledgerError(e);
      if (ledger?.code !== "insufficient-funds") throw ledger ?? e;
      if (attempt >= MAX_ATTEMPTS) throw refused("insufficient-balance", "The available commission and dividends do not cover this withdrawal.");
      withdrawable = (await withdrawableStatement(d1, who.memberId).first<Withdrawable>())!;
    }
  }
  // The row as the batch wrote it: no read-back round trip.
  const row: WithdrawalRow = {
    id, member_id: who.memberId, amount_fen: amountFen, fee_fen: feeFen, net_fen: netFen, dividends_fen: dividendsFen, status: "pending", status_reason: null, day,
    requires_second_approval: amountFen >= rules.secondApprovalFromFen ? 1 : 0, first_approver_person: null, first_approver_id: null,
    first_approved_at: null, approver_person: null, approver_id: null, approved_at: null, rejected_by: null, transfer_bill_no: null,
    wechat_state: null, package_info: null, last_error: null, created_at: t, updated_at: t, finished_at: null,
  };
  return withdrawalView(row, payeeApp(env));
}

/** Newest first, keyset-paginated on (created_at, id): each page reads at most `limit + 1` rows. */
export async function listOwnWithdrawals(env: Env, memberId: string, limit: number, cursor?: string): Promise<{ items: WithdrawalView[]; nextCursor: string | null }> {
  const d1 = env.DB;
  let stmt: D1PreparedStatement;
  if (cursor) {
    const at = decodeWithdrawalCursor(cursor);
    if (!at) throw ApiError.validation([{ path: "cursor", message: "Invalid cursor." }]);
    stmt = d1.prepare(
      `SELECT * FROM withdrawals WHERE member_id = ?1 AND (created_at < ?2 OR (created_at = ?2 AND id < ?3)) ORDER BY created_at DESC, id DESC LIMIT ?4`,
    ).bind(memberId, at.createdAtMs, at.id, limit + 1);
  } else {
    stmt = d1.prepare("SELECT * FROM withdrawals WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT ?").bind(memberId, limit + 1);
  }
  const rows = (await stmt.all<WithdrawalRow>()).results;
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { items: page.map((w) => withdrawalView(w, payeeApp(env))), nextCursor: rows.length > limit && last ? encodeWithdrawalCursor(last.created_at, last.id) : null };
}

/** The member's own withdrawal; someone else's is "not found". */
export async function getOwnWithdrawal(env: Env, memberId: string, id: string): Promise<WithdrawalView> {
  const row = await env.DB.prepare("SELECT * FROM withdrawals WHERE id = ? AND member_id = ?").bind(id, memberId).first<WithdrawalRow>();
  if (!row) throw ApiError.notFound("No such withdrawal.");
  return withdrawalView(row, payeeApp(env));
}

export type WithdrawalOverview = {
  /** Withdrawable now: available commission plus dividends payable. */
  availableFen: number;
  commissionAvailableFen: number;
  dividendsAvailableFen: number;
  inFlightFen: number;
  rules: PayoutRules;
  today: { count: number; amountFen: number };
  realNameRequiredFromFen: number;
};

/** What the 提现 screen shows before a request: the balance, the rules (for the fee preview) and today's usage. */
export async function withdrawalOverview(d1: D1Database, memberId: string, now = new Date()): Promise<WithdrawalOverview> {
  const available = accountId("commission_available", memberId);
  const dividends = accountId("dividends_payable", memberId);
  const inFlight = accountId("payout_in_flight", memberId);
  const [rules, b, today] = await Promise.all([
    loadPayoutRules(d1),
    balances(d1, [available, dividends, inFlight]),
    d1.prepare("SELECT count, amount_fen FROM withdrawal_days WHERE member_id = ? AND day = ?").bind(memberId, beijingDate(now.getTime())).first<{ count: number; amount_fen: number }>(),
  ]);
  return {
    availableFen: b.get(available)!.availableFen + b.get(dividends)!.availableFen,
    commissionAvailableFen: b.get(available)!.availableFen,
    dividendsAvailableFen: b.get(dividends)!.availableFen,
    // What is reserved for withdrawals not yet paid, plus what was posted into flight and not yet paid out.
    inFlightFen: b.get(inFlight)!.pendingCreditsFen + b.get(inFlight)!.postedFen,
    rules,
    today: { count: today?.count ?? 0, amountFen: today?.amount_fen ?? 0 },
    realNameRequiredFromFen: REAL_NAME_REQUIRED_FROM_FEN,
  };
}
