import { eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { members } from "../../schema";
import { TIERS, type Tier } from "../http/auth";
import type { Db } from "../http/context";
import { settingsQuery, settingValue, type StoredSetting } from "../settings/read";
import { frozenDays, planSettings, selfPurchase, tierRuleSettings, type TierRule } from "./settings";

/**
 * At most two levels, in code and never a setting: Chinese anti-pyramid law (禁止传销条例, art. 7) treats pay
 * through three or more levels of recruitment as 传销, and WeChat forbids multi-level distribution in mini-programs.
 */
export const MAX_LEVELS = 2;

export type PlannedEarner = { level: 1 | 2; earnerId: string; tier: Tier; rateBps: number };

/** Snapshotted on the order when it is created; fulfilment pays exactly this, whatever the rules say by then. */
export type CommissionPlan = { frozenDays: number; earners: PlannedEarner[] };

export type CommissionSnapshot = { referrer1Id: string | null; referrer2Id: string | null; plan: CommissionPlan };

/** `blocked`: the account is stopped (封禁); a blocked upline earns nothing, like a tier that may not earn. */
type Person = { id: string; tier: Tier; blocked?: boolean };

export type PlanRules = { rules: Record<Tier, TierRule>; selfPurchase: boolean; frozenDays: number };

/**
 * Who earns on a purchase, and at what rate. Level 1 is the buyer's referrer and level 2 the referrer's referrer —
 * or, with self-purchase on and a buyer who may earn, the buyer and their referrer. An upline whose tier may not
 * earn, or whose account is blocked, is skipped and its share is NOT passed further up (no compression): nobody
 * beyond level 2 ever earns.
 */
export function commissionPlan(buyer: Person, referrer1: Person | null, referrer2: Person | null, r: PlanRules): CommissionPlan {
  const chain = r.selfPurchase && r.rules[buyer.tier].mayEarn ? [buyer, referrer1] : [referrer1, referrer2];
  const earners: PlannedEarner[] = [];
  chain.slice(0, MAX_LEVELS).forEach((person, i) => {
    if (!person || person.blocked) return;
    const rule = r.rules[person.tier];
    const level = (i + 1) as 1 | 2;
    const rateBps = level === 1 ? rule.level1Bps : rule.level2Bps;
    if (rule.mayEarn && rateBps > 0) earners.push({ level, earnerId: person.id, tier: person.tier, rateBps });
  });
  return { frozenDays: r.frozenDays, earners };
}

/** `floor(base × rate / 10000)`: what a rate pays on an amount, never rounded up. */
export const commissionOn = (baseFen: number, rateBps: number) => Math.floor((baseFen * rateBps) / 10000);

export function planRules(rows: readonly StoredSetting[]): PlanRules {
  const rules = Object.fromEntries(TIERS.map((t) => [t, settingValue(tierRuleSettings[t], rows)])) as Record<Tier, TierRule>;
  return { rules, selfPurchase: settingValue(selfPurchase, rows), frozenDays: settingValue(frozenDays, rows) };
}

const referrer1 = alias(members, "referrer1");
const referrer2 = alias(members, "referrer2");

/** The buyer's two uplines with their live tiers: one indexed query, to put into the batch a purchase already runs. */
export function uplinesQuery(db: Db, buyerId: string) {
  return db
    // Named columns: D1 returns rows keyed by column name, so two `id`s of one row would collide.
    .select({
      r1Id: sql<string | null>`${referrer1.id}`.as("r1_id"),
      r1Tier: sql<Tier | null>`${referrer1.tier}`.as("r1_tier"),
      r2Id: sql<string | null>`${referrer2.id}`.as("r2_id"),
      r2Tier: sql<Tier | null>`${referrer2.tier}`.as("r2_tier"),
      r1Blocked: sql<number | null>`${referrer1.blockedAt} IS NOT NULL`.as("r1_blocked"),
      r2Blocked: sql<number | null>`${referrer2.blockedAt} IS NOT NULL`.as("r2_blocked"),
    })
    .from(members)
    .leftJoin(referrer1, eq(referrer1.id, members.referrerId))
    .leftJoin(referrer2, eq(referrer2.id, referrer1.referrerId))
    .where(eq(members.id, buyerId));
}

/** The settings the plan needs, for the same batch. */
export const planSettingsQuery = (db: Db) => settingsQuery(db, planSettings);

export type UplineRow = { r1Id: string | null; r1Tier: Tier | null; r2Id: string | null; r2Tier: Tier | null; r1Blocked?: number | null; r2Blocked?: number | null };

/** The snapshot an order of a commissionable kind is created with (see `createOrder`). */
export function commissionSnapshot(buyer: Person, uplines: UplineRow | undefined, settingRows: readonly StoredSetting[]): CommissionSnapshot {
  const r1 = uplines?.r1Id && uplines.r1Tier ? { id: uplines.r1Id, tier: uplines.r1Tier, blocked: Boolean(uplines.r1Blocked) } : null;
  const r2 = uplines?.r2Id && uplines.r2Tier ? { id: uplines.r2Id, tier: uplines.r2Tier, blocked: Boolean(uplines.r2Blocked) } : null;
  return { referrer1Id: r1?.id ?? null, referrer2Id: r2?.id ?? null, plan: commissionPlan(buyer, r1, r2, planRules(settingRows)) };
}

/**
 * For a commissionable kind's caller that has no read batch of its own to join (an auction purchase of a lot
 * configured to pay, say): the uplines and the rules in one round trip, then `createOrder(…, { commission })`.
 */
export async function readCommissionSnapshot(db: Db, buyer: Person): Promise<CommissionSnapshot> {
  const [uplines, rows] = await db.batch([uplinesQuery(db, buyer.id), planSettingsQuery(db)]);
  return commissionSnapshot(buyer, uplines[0], rows);
}

/** Reads a stored plan; an order created before commissions existed (or of a kind that pays none) plans nothing. */
export function parsePlan(stored: string | null | undefined): CommissionPlan {
  try {
    const p = JSON.parse(stored ?? "") as CommissionPlan;
    if (p && Array.isArray(p.earners) && Number.isInteger(p.frozenDays)) return { frozenDays: p.frozenDays, earners: p.earners.slice(0, MAX_LEVELS) };
  } catch {
    // fall through
  }
  return { frozenDays: 0, earners: [] };
}
