import type { Gate } from "../orders/kind";
import { DAY_MS } from "../calendar/beijing";
import { accountId } from "../ledger/accounts";
import { transferStatements, type TransferSpec } from "../ledger/service";
import { TIERS, type Tier } from "../http/auth";
import { commissionOn, parsePlan } from "./plan";
import type { TierTrigger } from "./settings";

/** The accrual transfer's id, which is also the commission's id: one per order and level, so a replay collides. */
export const commissionId = (orderId: string, level: number) => `commission:${orderId}:${level}`;

export type PaidOrder = { id: string; memberId: string; amountFen: number; commissionPlan: string | undefined };

/**
 * What a paid order of a commissionable kind adds to the fulfilment batch: for each upline the order's snapshot
 * names, `floor(amount × rate / 10000)` moved commission_expense → commission_frozen:<earner> (id
 * `commission:<orderId>:<level>`) and its `commissions` row, frozen until the refund window ends. The rows are
 * gated like the rest of the batch; the transfers need no gate (their ids collide and the batch rolls back whole).
 */
export function accrualStatements(d1: D1Database, order: PaidOrder, gate: Gate, now: Date): D1PreparedStatement[] {
  const plan = parsePlan(order.commissionPlan);
  const t = now.getTime();
  const availableAt = t + plan.frozenDays * DAY_MS;
  const earned = plan.earners.map((e) => ({ ...e, amountFen: commissionOn(order.amountFen, e.rateBps) })).filter((e) => e.amountFen > 0);
  if (earned.length === 0) return [];
  const transfers: TransferSpec[] = earned.map((e) => ({
    id: commissionId(order.id, e.level),
    debitAccountId: accountId("commission_expense"),
    creditAccountId: accountId("commission_frozen", e.earnerId),
    amountFen: e.amountFen,
    code: "commission_accrued",
    reference: `order:${order.id}`,
  }));
  return [
    ...earned.map((e) =>
      d1.prepare(
        `INSERT INTO commissions (id, order_id, earner_id, buyer_id, level, tier, rate_bps, base_fen, amount_fen, status, available_at, created_at, updated_at)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, 'frozen', ?, ?, ? WHERE ${gate.sql}`,
      ).bind(commissionId(order.id, e.level), order.id, e.earnerId, order.memberId, e.level, e.tier, e.rateBps, order.amountFen, e.amountFen, availableAt, t, t, ...gate.params),
    ),
    ...transferStatements(d1, transfers, now),
  ];
}

/**
 * The buyer's lifetime spend grows by the order's amount, and a configured trigger it now meets raises their tier
 * at once (never lowers it), with a tier-history row. Highest trigger first: once one applies, the lower ones no
 * longer match the member's tier.
 */
export function spendStatements(d1: D1Database, order: PaidOrder, triggers: TierTrigger[], gate: Gate, now: Date): D1PreparedStatement[] {
  const t = now.getTime();
  const rank = (tier: Tier) => TIERS.indexOf(tier);
  const statements = [
    d1.prepare(
      `INSERT INTO member_spend (member_id, lifetime_fen, updated_at) SELECT ?, ?, ? WHERE ${gate.sql}
       ON CONFLICT (member_id) DO UPDATE SET lifetime_fen = lifetime_fen + excluded.lifetime_fen, updated_at = excluded.updated_at`,
    ).bind(order.memberId, order.amountFen, t, ...gate.params),
  ];
  for (const trigger of [...triggers].sort((a, b) => rank(b.tier) - rank(a.tier))) {
    const below = TIERS.filter((x) => rank(x) < rank(trigger.tier));
    if (below.length === 0) continue;
    const meets = `id = ? AND tier IN (${below.map(() => "?").join(", ")})
      AND (SELECT lifetime_fen FROM member_spend WHERE member_id = ?) >= ? AND ${gate.sql}`;
    const params = [order.memberId, ...below, order.memberId, trigger.minLifetimeSpendFen, ...gate.params];
    statements.push(
      d1.prepare(
        `INSERT INTO tier_changes (id, member_id, from_tier, to_tier, reason, source, actor_id, created_at)
         SELECT ?, id, tier, ?, ?, 'trigger', NULL, ? FROM members WHERE ${meets}`,
      ).bind(crypto.randomUUID(), trigger.tier, `累计消费达到 ${trigger.minLifetimeSpendFen} 分`, t, ...params),
      d1.prepare(`UPDATE members SET tier = ? WHERE ${meets}`).bind(trigger.tier, ...params),
    );
  }
  return statements;
}
