import { z } from "@hono/zod-openapi";
import { authorityStatement, principalFrom, type AuthorityRow } from "../http/authority";
import type { Identity } from "../http/principal";
import { accountId } from "../ledger/accounts";
import { SubscriptionSchema } from "./schemas";
import { subscriptionView, type SubscriptionRow } from "./views";

export const MySharesSchema = z
  .object({
    holdings: z.array(z.object({ roundId: z.string(), roundTitle: z.string(), shares: z.number().int(), acquiredAt: z.string() })),
    totalShares: z.number().int(),
    /** Shares held by everyone, across all rounds. */
    issuedShares: z.number().int(),
    /** Your part of all issued shares in basis points (1% = 100), rounded down. */
    percentBps: z.number().int(),
    subscriptions: z.array(SubscriptionSchema.extend({ roundTitle: z.string() })),
    dividends: z.array(z.object({ declarationId: z.string(), period: z.string(), shares: z.number().int(), amountFen: z.number().int(), paidAt: z.string().nullable() })),
    /** Dividends credited and not yet withdrawn. */
    dividendsPayableFen: z.number().int(),
  })
  .openapi("MyShares");

/** 我的股份, in one round trip (with the caller's authority): holdings, the member's part of the cap table, subscriptions, dividends and balance. */
export async function myShares(d1: D1Database, who: Identity): Promise<z.infer<typeof MySharesSchema>> {
  const memberId = who.memberId;
  const [authority, holdings, issued, subs, lines, payable] = await d1.batch([
    authorityStatement(d1, memberId),
    d1.prepare("SELECT h.round_id, r.title, h.shares, h.acquired_at FROM share_holdings h JOIN rounds r ON r.id = h.round_id WHERE h.member_id = ? ORDER BY h.acquired_at").bind(memberId),
    d1.prepare("SELECT coalesce(sum(shares), 0) AS issued FROM share_holdings"),
    d1.prepare("SELECT s.*, r.title AS round_title FROM share_subscriptions s JOIN rounds r ON r.id = s.round_id WHERE s.member_id = ? ORDER BY s.created_at DESC LIMIT 50").bind(memberId),
    d1
      .prepare(
        `SELECT l.declaration_id, d.period, l.shares, l.amount_fen, l.paid_at FROM dividend_lines l JOIN dividend_declarations d ON d.id = l.declaration_id
         WHERE l.member_id = ? ORDER BY d.created_at DESC LIMIT 50`,
      )
      .bind(memberId),
    d1.prepare("SELECT credits_posted - debits_posted AS fen FROM accounts WHERE id = ?").bind(accountId("dividends_payable", memberId)),
  ]);
  principalFrom(who, authority.results[0] as AuthorityRow | undefined);
  const held = holdings.results as { round_id: string; title: string; shares: number; acquired_at: number }[];
  const totalShares = held.reduce((a, h) => a + h.shares, 0);
  const issuedShares = (issued.results[0] as { issued: number }).issued;
  return {
    holdings: held.map((h) => ({ roundId: h.round_id, roundTitle: h.title, shares: h.shares, acquiredAt: new Date(h.acquired_at).toISOString() })),
    totalShares,
    issuedShares,
    percentBps: issuedShares === 0 ? 0 : Math.floor((totalShares * 10_000) / issuedShares),
    subscriptions: (subs.results as (SubscriptionRow & { round_title: string })[]).map((s) => ({ ...subscriptionView(s), roundTitle: s.round_title })),
    dividends: (lines.results as { declaration_id: string; period: string; shares: number; amount_fen: number; paid_at: number | null }[]).map((l) => ({
      declarationId: l.declaration_id,
      period: l.period,
      shares: l.shares,
      amountFen: l.amount_fen,
      paidAt: l.paid_at === null ? null : new Date(l.paid_at).toISOString(),
    })),
    dividendsPayableFen: (payable.results[0] as { fen: number } | undefined)?.fen ?? 0,
  };
}
