import type { z } from "@hono/zod-openapi";
import type { AdminRoundSchema, MemberRoundSchema, SubscriptionSchema } from "./schemas";

/** A `rounds` row as D1 returns it (snake_case, times in ms). */
export type RoundRow = {
  id: string;
  title: string;
  description: string;
  risk_disclosure: string;
  disclosure_version: number;
  share_price_fen: number;
  total_shares: number;
  min_shares: number;
  max_shares: number;
  target_shares: number;
  eligible_tiers: string;
  tier_on_success: string;
  opens_at: number;
  closes_at: number;
  state: "draft" | "open" | "succeeded" | "failed";
  reserved_shares: number;
  sold_shares: number;
  created_at: number;
  updated_at: number;
  closed_at: number | null;
};

export type SubscriptionRow = {
  id: string;
  round_id: string;
  member_id: string;
  shares: number;
  amount_fen: number;
  status: "reserved" | "paid" | "expired" | "refunded";
  order_id: string | null;
  disclosure_version: number;
  disclosure_acked_at: number;
  expires_at: number;
  created_at: number;
  updated_at: number;
  paid_at: number | null;
};

const iso = (ms: number) => new Date(ms).toISOString();

export function memberRoundView(r: RoundRow): z.infer<typeof MemberRoundSchema> {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
    riskDisclosure: r.risk_disclosure,
    disclosureVersion: r.disclosure_version,
    sharePriceFen: r.share_price_fen,
    totalShares: r.total_shares,
    soldShares: r.sold_shares,
    reservedShares: r.reserved_shares,
    sharesLeft: r.total_shares - r.sold_shares - r.reserved_shares,
    minShares: r.min_shares,
    maxShares: r.max_shares,
    targetShares: r.target_shares,
    opensAt: iso(r.opens_at),
    closesAt: iso(r.closes_at),
    state: r.state,
  };
}

export function adminRoundView(r: RoundRow): z.infer<typeof AdminRoundSchema> {
  return {
    ...memberRoundView(r),
    eligibleTiers: JSON.parse(r.eligible_tiers) as string[],
    tierOnSuccess: r.tier_on_success,
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
    closedAt: r.closed_at === null ? null : iso(r.closed_at),
  };
}

export function subscriptionView(s: SubscriptionRow): z.infer<typeof SubscriptionSchema> {
  return {
    id: s.id,
    roundId: s.round_id,
    memberId: s.member_id,
    shares: s.shares,
    amountFen: s.amount_fen,
    status: s.status,
    orderId: s.order_id,
    disclosureVersion: s.disclosure_version,
    disclosureAckedAt: iso(s.disclosure_acked_at),
    expiresAt: iso(s.expires_at),
    createdAt: iso(s.created_at),
    paidAt: s.paid_at === null ? null : iso(s.paid_at),
  };
}
