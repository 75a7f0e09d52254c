/** Tier names as members read them (docs/architecture.md §4). */
const TIER_LABELS: Record<string, string> = {
  member: "会员",
  promoter: "推广员",
  channel_partner: "渠道合伙人",
  shareholder: "股东合伙人",
};

export function tierLabel(tier: string): string {
  return TIER_LABELS[tier] ?? "会员";
}
