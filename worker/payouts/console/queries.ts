import { DAY_MS } from "../../calendar/beijing";
import { accountId } from "../../ledger/accounts";
import { balances, transfersByReference, type HistoryItem } from "../../ledger/service";
import type { WithdrawalRow } from "../views";

/** Read side of 提现审核. Every list is bounded by its page size; the CSV export reads its date range in chunks. */
export type QueueRow = WithdrawalRow & { nickname: string | null; openid: string | null; tier: string | null };

/** Names and tiers of the members on a page of withdrawals, in one read. */
export async function withMembers(d1: D1Database, rows: WithdrawalRow[]): Promise<QueueRow[]> {
  const ids = [...new Set(rows.map((r) => r.member_id))];
  if (ids.length === 0) return [];
  const { results } = await d1.prepare(`SELECT id, nickname, openid, tier FROM members WHERE id IN (${ids.map(() => "?").join(", ")})`).bind(...ids)
    .all<{ id: string; nickname: string; openid: string; tier: string }>();
  const byId = new Map(results.map((m) => [m.id, m]));
  return rows.map((r) => ({ ...r, nickname: byId.get(r.member_id)?.nickname ?? null, openid: byId.get(r.member_id)?.openid ?? null, tier: byId.get(r.member_id)?.tier ?? null }));
}

export type Hint = { level: "warn" | "info"; text: string };

/** Account younger than this is "new" for a reviewer. */
const NEW_ACCOUNT_MS = 7 * DAY_MS;
/** An amount this many times the member's usual paid withdrawal stands out. */
const FAR_ABOVE_USUAL = 3;

/**
 * What a reviewer should notice: a new account, a first withdrawal, an amount far above the member's usual, and the
 * maker-checker state (a second approval is needed; the reviewer already gave the first; it is their own).
 */
export function reviewHints(w: WithdrawalRow, ctx: { memberCreatedAt: number | null; previousPaid: { count: number; averageFen: number }; previousAny: number; person: string; now?: number }): Hint[] {
  const hints: Hint[] = [];
  const now = ctx.now ?? Date.now();
  if (w.member_id === ctx.person) hints.push({ level: "warn", text: "这是你本人的提现，需由其他管理员审核。" });
  if (ctx.memberCreatedAt !== null && now - ctx.memberCreatedAt < NEW_ACCOUNT_MS) {
    hints.push({ level: "warn", text: `新注册账户：注册仅 ${Math.max(0, Math.floor((now - ctx.memberCreatedAt) / DAY_MS))} 天。` });
  }
  if (ctx.previousAny === 0) hints.push({ level: "info", text: "该会员的首次提现。" });
  if (ctx.previousPaid.count > 0 && w.amount_fen > FAR_ABOVE_USUAL * ctx.previousPaid.averageFen) {
    hints.push({ level: "warn", text: `金额远高于该会员以往到账提现的平均值（约 ${(w.amount_fen / Math.max(1, ctx.previousPaid.averageFen)).toFixed(1)} 倍）。` });
  }
  if (w.requires_second_approval && w.status === "pending") {
    hints.push(w.first_approver_person
      ? { level: w.first_approver_person === ctx.person ? "warn" : "info", text: w.first_approver_person === ctx.person ? "你已做出第一次审批，需另一位管理员复核。" : "已有一位管理员通过，等待第二位管理员复核。" }
      : { level: "info", text: "金额达到复核线：需两位不同的管理员先后通过。" });
  }
  return hints;
}

export type PayoutDetail = {
  withdrawal: QueueRow;
  earnings: { availableFen: number; dividendsFen: number; frozenFen: number; inFlightFen: number; paidOutFen: number };
  history: WithdrawalRow[];
  transfers: Omit<HistoryItem, "direction">[];
  audit: { id: string; actor_id: string; action: string; after: string | null; created_at: number }[];
  hints: Hint[];
};

/** A payout's page: the withdrawal, the member's earnings and recent withdrawals, its ledger transfers and audit trail, hints. */
export async function payoutDetail(d1: D1Database, id: string, person: string, now = Date.now()): Promise<PayoutDetail | null> {
  const w = await d1.prepare("SELECT * FROM withdrawals WHERE id = ?").bind(id).first<WithdrawalRow>();
  if (!w) return null;
  const m = w.member_id;
  const [member, history, paidStats, anyBefore, audit] = await d1.batch([
    d1.prepare("SELECT id, nickname, openid, tier, created_at FROM members WHERE id = ?").bind(m),
    d1.prepare("SELECT * FROM withdrawals WHERE member_id = ? ORDER BY created_at DESC, id DESC LIMIT 10").bind(m),
    d1.prepare("SELECT count(*) AS count, coalesce(avg(amount_fen), 0) AS averageFen FROM withdrawals WHERE member_id = ? AND status = 'paid' AND id != ?").bind(m, id),
    d1.prepare("SELECT count(*) AS n FROM withdrawals WHERE member_id = ? AND created_at < ?").bind(m, w.created_at),
    d1.prepare("SELECT id, actor_id, action, after, created_at FROM audit_log WHERE target_type = 'withdrawal' AND target_id = ? ORDER BY id").bind(id),
  ]);
  const mem = member.results[0] as { nickname: string; openid: string; tier: string; created_at: number } | undefined;
  const ids = { available: accountId("commission_available", m), dividends: accountId("dividends_payable", m), frozen: accountId("commission_frozen", m), inFlight: accountId("payout_in_flight", m) };
  const [b, transfers] = await Promise.all([balances(d1, Object.values(ids)), transfersByReference(d1, `withdrawal:${id}`)]);
  const stats = paidStats.results[0] as { count: number; averageFen: number };
  return {
    withdrawal: { ...w, nickname: mem?.nickname ?? null, openid: mem?.openid ?? null, tier: mem?.tier ?? null },
    earnings: {
      availableFen: b.get(ids.available)!.availableFen,
      dividendsFen: b.get(ids.dividends)!.availableFen,
      frozenFen: b.get(ids.frozen)!.postedFen,
      inFlightFen: b.get(ids.inFlight)!.pendingCreditsFen + b.get(ids.inFlight)!.postedFen,
      paidOutFen: b.get(ids.inFlight)!.debitsPostedFen,
    },
    history: history.results as WithdrawalRow[],
    transfers,
    audit: audit.results as PayoutDetail["audit"],
    hints: reviewHints(w, {
      memberCreatedAt: mem?.created_at ?? null, previousPaid: { count: stats.count, averageFen: Math.round(stats.averageFen) },
      previousAny: (anyBefore.results[0] as { n: number }).n, person, now,
    }),
  };
}

/** How many withdrawals of a status finished in [fromMs, toMs) and what they paid out (net), for the list's total line. */
export async function finishedTotal(d1: D1Database, f: { status?: string; fromMs?: number; toMs?: number }) {
  const row = await d1.prepare(
    `SELECT count(*) AS n, coalesce(sum(net_fen), 0) AS fen FROM withdrawals
     WHERE (?1 IS NULL OR status = ?1) AND finished_at >= coalesce(?2, 0) AND finished_at < coalesce(?3, 9e15)`,
  ).bind(f.status ?? null, f.fromMs ?? null, f.toMs ?? null).first<{ n: number; fen: number }>();
  return { count: row?.n ?? 0, fen: row?.fen ?? 0 };
}

/** The CSV export's range is at most this many days (a finance quarter). */
export const EXPORT_MAX_DAYS = 93;

/** A chunk of the withdrawals requested in [fromMs, toMs), with the member, keyset on the primary key (rows read ≤ size). */
export async function exportChunk(d1: D1Database, fromMs: number, toMs: number, afterId: string | null, size: number): Promise<QueueRow[]> {
  const { results } = await d1.prepare(
    `SELECT w.*, m.nickname, m.openid, m.tier FROM withdrawals w LEFT JOIN members m ON m.id = w.member_id
     WHERE w.created_at >= ? AND w.created_at < ? AND (? IS NULL OR w.id > ?) ORDER BY w.id LIMIT ?`,
  ).bind(fromMs, toMs, afterId, afterId, size).all<QueueRow>();
  return results;
}
