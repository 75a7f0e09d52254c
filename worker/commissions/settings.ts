import { z } from "zod";
import { TIERS, type Tier } from "../http/auth";
import { declareSetting, type SettingDeclaration } from "../settings/declare";

/** What one tier earns: whether it may earn at all, and its level-1 / level-2 rates in basis points (1% = 100). */
export type TierRule = { mayEarn: boolean; level1Bps: number; level2Bps: number };

const tierRule = z.object({ mayEarn: z.boolean(), level1Bps: z.number().int().min(0).max(10000), level2Bps: z.number().int().min(0).max(10000) });

const TIER_LABELS: Record<Tier, string> = { member: "普通会员", promoter: "推广员", channel_partner: "渠道合伙人", shareholder: "股东合伙人" };

/** Defaults that make the demo work: promoter 10% / 5%, channel partner 15% / 5%, shareholder 20% / 5%, member nothing. */
const DEFAULT_RULES: Record<Tier, TierRule> = {
  member: { mayEarn: false, level1Bps: 0, level2Bps: 0 },
  promoter: { mayEarn: true, level1Bps: 1000, level2Bps: 500 },
  channel_partner: { mayEarn: true, level1Bps: 1500, level2Bps: 500 },
  shareholder: { mayEarn: true, level1Bps: 2000, level2Bps: 500 },
};

export const tierRuleSettings = Object.fromEntries(
  TIERS.map((tier) => [
    tier,
    declareSetting<TierRule>({
      key: `commissions.tier.${tier}`,
      label: `分销规则 · ${TIER_LABELS[tier]}`,
      help: "JSON：mayEarn 是否可获得佣金；level1Bps / level2Bps 为一级、二级佣金比例（基点，100 = 1%）。",
      schema: tierRule,
      default: DEFAULT_RULES[tier],
    }),
  ]),
) as Record<Tier, SettingDeclaration<TierRule>>;

/** 佣金冻结期: the refund window during which a commission stays frozen. */
export const frozenDays = declareSetting<number>({
  key: "commissions.frozenDays",
  label: "佣金冻结期（天）",
  help: "整数天数：订单支付后佣金冻结的天数（退款期），期满后转为可提现。",
  schema: z.number().int().min(0).max(365),
  default: 7,
});

/** 自购返佣: a member who may earn also earns level 1 on their own purchase (their referrer then earns level 2). */
export const selfPurchase = declareSetting<boolean>({
  key: "commissions.selfPurchase",
  label: "自购返佣",
  help: "true：有推广资格的会员自己购买也获得一级佣金（其推荐人获得二级）；false：只有上级获得佣金。",
  schema: z.boolean(),
  default: false,
});

/** A tier reached automatically once a member's lifetime spend on paid orders reaches a threshold. */
export type TierTrigger = { tier: Tier; minLifetimeSpendFen: number };

export const tierTriggers = declareSetting<TierTrigger[]>({
  key: "commissions.tierTriggers",
  label: "自动升级条件",
  help: "JSON 数组，例如 [{\"tier\":\"promoter\",\"minLifetimeSpendFen\":100000}]：累计消费（分）达到即自动升级；空数组表示不自动升级。",
  schema: z.array(z.object({ tier: z.enum(TIERS), minLifetimeSpendFen: z.number().int().min(1) })).max(TIERS.length),
  default: [],
});

export const planSettings = [...Object.values(tierRuleSettings), frozenDays, selfPurchase];
export const commissionSettings = [...planSettings, tierTriggers];
