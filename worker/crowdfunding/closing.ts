import { accountId } from "../ledger/accounts";
import { transferStatements } from "../ledger/service";
import { ApiError } from "../http/problem";
import { auditedIf, type Actor } from "./audit";
import { roundRow } from "./admin";
import { recountHolders } from "./holders";
import { expireReservationStatements } from "./subscriptions";
import { grantRoundTierStatements } from "./tiers";

export type CloseOutcome = { roundId: string; outcome: "succeeded" | "failed"; soldShares: number; escrowFen: number };

/**
 * Closes an open round at its closing time (the scheduled job) or early when its target is met (an admin), in ONE
 * batch: unpaid reservations expire and release their shares; then either (target met) the escrow moves to
 * `equity_capital`, each paid subscription enters the cap table and its member gets the round's tier, or (missed)
 * the round is marked failed and every paid subscription is refunded by `refundFailedRound` afterwards.
 *
 * Safe to repeat and to race: the first statement moves the round out of `open` only if it still is and its shares
 * sold are still those read (a payment arriving meanwhile makes it not apply), stamping a random `close_id`; every
 * other statement acts only for that stamp; the last inserts `round_closings` with CHECK(gate = 1) computed from
 * it, so a losing attempt rolls back whole, the escrow transfer included.
 */
export async function closeRound(d1: D1Database, actor: Actor, roundId: string, now: number, mode: { early: boolean }): Promise<CloseOutcome | null> {
  const round = await roundRow(d1, roundId);
  if (round.state !== "open") {
    if (mode.early) throw ApiError.conflict("round-not-open", "该众筹不在认购中，无法结束.");
    return null;
  }
  if (mode.early && round.sold_shares < round.target_shares) throw ApiError.conflict("target-not-met", `已售 ${round.sold_shares} 份，未达目标 ${round.target_shares} 份，不能提前结束.`);
  if (!mode.early && round.closes_at > now) return null;

  const reserved = (await d1.prepare("SELECT id FROM share_subscriptions WHERE round_id = ? AND status = 'reserved'").bind(roundId).all<{ id: string }>()).results;
  const succeeded = round.sold_shares >= round.target_shares;
  const outcome = succeeded ? "succeeded" : "failed";
  const escrowFen = round.sold_shares * round.share_price_fen;
  const closeId = crypto.randomUUID();
  const gate = "EXISTS (SELECT 1 FROM rounds WHERE id = ? AND close_id = ?)";
  const reason = mode.early ? "closed early: target met" : succeeded ? "closing time: target met" : "closing time: target missed";

  const statements: D1PreparedStatement[] = [
    d1
      .prepare("UPDATE rounds SET state = ?3, close_id = ?4, closed_at = ?5, updated_at = ?5 WHERE id = ?1 AND state = 'open' AND sold_shares = ?2")
      .bind(roundId, round.sold_shares, outcome, closeId, now),
    d1
      .prepare(`INSERT INTO round_state_changes (id, round_id, from_state, to_state, actor_id, reason, created_at) SELECT ?, ?, 'open', ?, ?, ?, ? WHERE ${gate}`)
      .bind(crypto.randomUUID(), roundId, outcome, actor.actorId, reason, now, roundId, closeId),
    auditedIf(d1, actor, { action: `round.${outcome}`, targetType: "round", targetId: roundId, before: { state: "open" }, after: { state: outcome, soldShares: round.sold_shares, reason } }, gate, roundId, closeId),
    ...reserved.flatMap((s) => expireReservationStatements(d1, s.id, now)),
  ];
  if (succeeded) {
    statements.push(
      d1
        .prepare(`INSERT INTO share_holdings (member_id, round_id, shares, acquired_at) SELECT member_id, round_id, shares, ? FROM share_subscriptions WHERE round_id = ? AND status = 'paid' AND ${gate}`)
        .bind(now, roundId, roundId, closeId),
      ...grantRoundTierStatements(d1, roundId, round.tier_on_success, gate, [roundId, closeId], now),
    );
    if (escrowFen > 0) {
      statements.push(
        ...transferStatements(
          d1,
          [{ id: `round:${roundId}:equity`, debitAccountId: accountId("crowdfund_escrow", roundId), creditAccountId: accountId("equity_capital"), amountFen: escrowFen, code: "round_succeeded", reference: `round:${roundId}` }],
          new Date(now),
        ),
      );
    }
  }
  statements.push(
    recountHolders(d1),
    d1
      .prepare(`INSERT INTO round_closings (round_id, outcome, sold_shares, escrow_fen, gate, created_at) SELECT ?1, ?2, ?3, ?4, EXISTS (SELECT 1 FROM rounds WHERE id = ?1 AND close_id = ?5), ?6`)
      .bind(roundId, outcome, round.sold_shares, escrowFen, closeId, now),
  );
  try {
    await d1.batch(statements);
  } catch (error) {
    const after = await roundRow(d1, roundId);
    if (after.state !== "open") return null; // Another closer won.
    if (mode.early) throw ApiError.conflict("round-changed", "认购情况刚刚发生变化，请重试 (the round changed while closing; try again).");
    throw error;
  }
  return { roundId, outcome, soldShares: round.sold_shares, escrowFen };
}

/** Rounds whose closing time has passed and which are still open, for the scheduled job. */
export async function dueRounds(d1: D1Database, now: number, limit = 20): Promise<string[]> {
  const { results } = await d1.prepare("SELECT id FROM rounds WHERE state = 'open' AND closes_at <= ? ORDER BY closes_at LIMIT ?").bind(now, limit).all<{ id: string }>();
  return results.map((r) => r.id);
}
