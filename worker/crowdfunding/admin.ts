import type { z } from "@hono/zod-openapi";
import { ApiError } from "../http/problem";
import { audited, auditedIf, stateChangeStatements, type Actor } from "./audit";
import { termProblems, type RoundInput, type RoundPatch } from "./schemas";
import { adminRoundView, type RoundRow } from "./views";

export const roundNotFound = () => ApiError.notFound("No such round.");

export async function roundRow(d1: D1Database, id: string): Promise<RoundRow> {
  const row = await d1.prepare("SELECT * FROM rounds WHERE id = ?").bind(id).first<RoundRow>();
  if (!row) throw roundNotFound();
  return row;
}

const newRoundId = () => `rnd_${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;

function checkTerms(t: Parameters<typeof termProblems>[0]) {
  const problems = termProblems(t);
  if (problems.length > 0) throw ApiError.validation(problems, "The round's terms do not fit together.");
}

/** A new round starts as a draft; nothing about it is visible to members until it is opened. */
export async function createRound(d1: D1Database, actor: Actor, input: z.infer<typeof RoundInput>, now = Date.now()) {
  checkTerms(input);
  const id = newRoundId();
  await d1.batch([
    d1
      .prepare(
        `INSERT INTO rounds (id, title, description, risk_disclosure, disclosure_version, share_price_fen, total_shares, min_shares, max_shares,
           target_shares, eligible_tiers, tier_on_success, opens_at, closes_at, state, created_at, updated_at)
         VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
      )
      .bind(id, input.title, input.description, input.riskDisclosure, input.sharePriceFen, input.totalShares, input.minShares, input.maxShares, input.targetShares,
        JSON.stringify([...new Set(input.eligibleTiers)]), input.tierOnSuccess, Date.parse(input.opensAt), Date.parse(input.closesAt), now, now),
    d1.prepare("INSERT INTO round_state_changes (id, round_id, from_state, to_state, actor_id, reason, created_at) VALUES (?, ?, NULL, 'draft', ?, '', ?)")
      .bind(crypto.randomUUID(), id, actor.actorId, now),
    audited(d1, actor, { action: "round.created", targetType: "round", targetId: id, after: input }),
  ]);
  return adminRoundView(await roundRow(d1, id));
}

const COLUMNS: Record<string, string> = {
  title: "title", description: "description", riskDisclosure: "risk_disclosure", sharePriceFen: "share_price_fen", totalShares: "total_shares",
  minShares: "min_shares", maxShares: "max_shares", targetShares: "target_shares", eligibleTiers: "eligible_tiers", tierOnSuccess: "tier_on_success",
  opensAt: "opens_at", closesAt: "closes_at",
};

/** Terms change only while the round is a draft (the UPDATE re-checks it); a new disclosure text gets a new version. */
export async function patchRound(d1: D1Database, actor: Actor, id: string, patch: z.infer<typeof RoundPatch>, now = Date.now()) {
  const before = await roundRow(d1, id);
  if (before.state !== "draft") throw ApiError.conflict("round-not-draft", "只有草稿状态的众筹可以修改 (the round is no longer a draft).");
  const current = adminRoundView(before);
  checkTerms({ ...current, ...patch });
  const sets: string[] = [];
  const values: unknown[] = [];
  for (const [field, value] of Object.entries(patch)) {
    sets.push(`${COLUMNS[field]} = ?`);
    if (field === "eligibleTiers") values.push(JSON.stringify([...new Set(value as string[])]));
    else if (field === "opensAt" || field === "closesAt") values.push(Date.parse(value as string));
    else values.push(value);
  }
  if (patch.riskDisclosure !== undefined && patch.riskDisclosure !== before.risk_disclosure) sets.push("disclosure_version = disclosure_version + 1");
  const [update] = await d1.batch([
    d1.prepare(`UPDATE rounds SET ${sets.join(", ")}, updated_at = ? WHERE id = ? AND state = 'draft'`).bind(...values, now, id),
    auditedIf(d1, actor, { action: "round.updated", targetType: "round", targetId: id, before: Object.fromEntries(Object.keys(patch).map((k) => [k, current[k as keyof typeof current]])), after: patch }, "changes() = 1"),
  ]);
  if (update.meta.changes !== 1) throw ApiError.conflict("round-not-draft", "只有草稿状态的众筹可以修改 (the round changed meanwhile).");
  return adminRoundView(await roundRow(d1, id));
}

/** draft → open. A round whose closing time has passed cannot open. */
export async function openRound(d1: D1Database, actor: Actor, id: string, now = Date.now()) {
  const round = await roundRow(d1, id);
  if (round.state !== "draft") throw ApiError.conflict("round-not-draft", "只有草稿状态的众筹可以开放认购.");
  if (round.closes_at <= now) throw ApiError.conflict("round-window-passed", "截止时间已过，请先修改截止时间.");
  const [update] = await d1.batch([
    d1.prepare("UPDATE rounds SET state = 'open', updated_at = ?2 WHERE id = ?1 AND state = 'draft' AND closes_at > ?2").bind(id, now),
    ...stateChangeStatements(d1, actor, id, "draft", "open", "", now),
  ]);
  if (update.meta.changes !== 1) throw ApiError.conflict("round-not-draft", "只有草稿状态的众筹可以开放认购.");
  return adminRoundView(await roundRow(d1, id));
}

export async function listRounds(d1: D1Database) {
  const { results } = await d1.prepare("SELECT * FROM rounds ORDER BY created_at DESC, id DESC LIMIT 200").all<RoundRow>();
  return results.map(adminRoundView);
}
