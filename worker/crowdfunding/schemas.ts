import { z } from "@hono/zod-openapi";
import { TIERS } from "../http/auth";
import { ROUND_STATES, SUBSCRIPTION_STATUSES } from "../../schema/crowdfunding";

export const RoundId = z.string().min(1).max(64);
const shares = z.number().int().min(1).max(1_000_000);
const isoTime = z.string().datetime({ offset: true }).openapi({ example: "2026-12-01T00:00:00Z" });

const roundFields = {
  title: z.string().trim().min(1).max(100),
  description: z.string().max(10_000),
  riskDisclosure: z.string().trim().min(1).max(20_000),
  // Up to ¥1,000,000 a share; integer fen only.
  sharePriceFen: z.number().int().min(1).max(100_000_000).openapi({ example: 100_000 }),
  totalShares: shares,
  minShares: shares,
  maxShares: shares,
  targetShares: shares,
  eligibleTiers: z.array(z.enum(TIERS)).min(1).max(TIERS.length),
  tierOnSuccess: z.enum(TIERS),
  opensAt: isoTime,
  closesAt: isoTime,
};

type Terms = Partial<{ totalShares: number; minShares: number; maxShares: number; targetShares: number; opensAt: string; closesAt: string }>;

/** The cross-field rules (also CHECKs in the table), reported as field errors instead of a 500. */
export function termProblems(t: Terms): { path: string; message: string }[] {
  const out: { path: string; message: string }[] = [];
  if (t.minShares !== undefined && t.maxShares !== undefined && t.minShares > t.maxShares) out.push({ path: "minShares", message: "最低认购份数不能大于最高认购份数" });
  if (t.maxShares !== undefined && t.totalShares !== undefined && t.maxShares > t.totalShares) out.push({ path: "maxShares", message: "最高认购份数不能大于总份数" });
  if (t.targetShares !== undefined && t.totalShares !== undefined && t.targetShares > t.totalShares) out.push({ path: "targetShares", message: "目标份数不能大于总份数" });
  if (t.opensAt && t.closesAt && Date.parse(t.opensAt) >= Date.parse(t.closesAt)) out.push({ path: "closesAt", message: "截止时间必须晚于开始时间" });
  return out;
}

export const RoundInput = z
  .object({
    ...roundFields,
    description: roundFields.description.default(""),
    minShares: shares.default(1),
    eligibleTiers: roundFields.eligibleTiers.default(["channel_partner"]),
    tierOnSuccess: roundFields.tierOnSuccess.default("shareholder"),
  })
  .strict()
  .openapi("RoundInput");

export const RoundPatch = z
  .object(roundFields)
  .partial()
  .strict()
  .refine((o) => Object.keys(o).length > 0, "Change at least one field.")
  .openapi("RoundPatch");

export const CloseInput = z.object({ reason: z.string().trim().min(1).max(200) }).strict();

/** What a member sees of a round. */
export const MemberRoundSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    riskDisclosure: z.string(),
    disclosureVersion: z.number().int(),
    sharePriceFen: z.number().int(),
    totalShares: z.number().int(),
    soldShares: z.number().int(),
    reservedShares: z.number().int(),
    sharesLeft: z.number().int(),
    minShares: z.number().int(),
    maxShares: z.number().int(),
    targetShares: z.number().int(),
    opensAt: z.string(),
    closesAt: z.string(),
    state: z.enum(ROUND_STATES),
  })
  .openapi("Round");

export const AdminRoundSchema = MemberRoundSchema.extend({
  eligibleTiers: z.array(z.string()),
  tierOnSuccess: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  closedAt: z.string().nullable(),
}).openapi("AdminRound");

export const SubscriptionSchema = z
  .object({
    id: z.string(),
    roundId: z.string(),
    memberId: z.string(),
    shares: z.number().int(),
    amountFen: z.number().int(),
    status: z.enum(SUBSCRIPTION_STATUSES),
    orderId: z.string().nullable(),
    disclosureVersion: z.number().int(),
    disclosureAckedAt: z.string(),
    expiresAt: z.string(),
    createdAt: z.string(),
    paidAt: z.string().nullable(),
  })
  .openapi("ShareSubscription");
