/**
 * The payout rules an operator can change (setting keys `payouts.*`, integer fen / basis points), with defaults.
 * A missing or malformed setting falls back to its default, so a bad value never blocks withdrawals.
 */
export type PayoutRules = {
  /** Smallest withdrawal (default ¥1). */
  minimumFen: number;
  /** Fee in basis points of the amount (default 1%), rounded down to the fen. */
  feeBps: number;
  /** Withdrawals of at least this much pay no fee (default ¥1,000). */
  feeFreeFromFen: number;
  /** Requests per member per Beijing day (default 3). */
  dailyCount: number;
  /** Total requested per member per Beijing day (default ¥50,000). */
  dailyAmountFen: number;
  /** From this amount a second, different admin must approve too (default ¥5,000). */
  secondApprovalFromFen: number;
};

export const DEFAULT_PAYOUT_RULES: PayoutRules = {
  minimumFen: 100,
  feeBps: 100,
  feeFreeFromFen: 100_000,
  dailyCount: 3,
  dailyAmountFen: 5_000_000,
  secondApprovalFromFen: 500_000,
};

export const PAYOUT_SETTING_PREFIX = "payouts.";

/** WeChat's transfer scene (configured at the merchant platform) and the report infos it demands for it. */
export const TRANSFER_SCENE = {
  /** 1005 佣金报酬 */
  sceneId: "1005",
  reportInfos: [
    { info_type: "岗位类型", info_content: "推广合伙人" },
    { info_type: "报酬说明", info_content: "推广佣金提现" },
  ],
  userRecvPerception: "劳务报酬",
  remark: "佣金提现",
} as const;

export async function loadPayoutRules(d1: D1Database): Promise<PayoutRules> {
  const { results } = await d1.prepare("SELECT key, value FROM settings WHERE key >= ?1 AND key < ?2").bind(PAYOUT_SETTING_PREFIX, "payouts/").all<{ key: string; value: string }>();
  const rules = { ...DEFAULT_PAYOUT_RULES };
  for (const row of results) {
    const name = row.key.slice(PAYOUT_SETTING_PREFIX.length) as keyof PayoutRules;
    if (!(name in rules)) continue;
    let value: unknown;
    try {
      value = JSON.parse(row.value);
    } catch {
      continue;
    }
    if (Number.isSafeInteger(value) && (value as number) >= 0) rules[name] = value as number;
  }
  rules.minimumFen = Math.max(rules.minimumFen, 1);
  rules.feeBps = Math.min(rules.feeBps, 10_000);
  return rules;
}

/** The fee of a withdrawal: basis points rounded down, nothing from the fee-free threshold on. */
export function withdrawalFee(rules: PayoutRules, amountFen: number): number {
  if (amountFen >= rules.feeFreeFromFen) return 0;
  return Math.floor((amountFen * rules.feeBps) / 10_000);
}

/** The Beijing (UTC+8) calendar day of an instant, as YYYY-MM-DD: daily limits reset at Beijing midnight. */
export function beijingDay(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
