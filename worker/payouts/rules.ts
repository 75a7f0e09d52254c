import { settingsStatement, settingValue, type StoredSetting } from "../settings/read";
import { dailyAmountFen, dailyCount, feeBps, feeFreeFromFen, minimumFen, payoutSettings, secondApprovalFromFen } from "./settings";

/** The payout rules in force: the settings `payouts.*` (declared in ./settings.ts), each falling back to its default. */
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

/** The read to put into a batch the caller already runs. */
export const payoutRulesStatement = (d1: D1Database) => settingsStatement(d1, payoutSettings);

export function payoutRulesFrom(rows: readonly StoredSetting[]): PayoutRules {
  return {
    minimumFen: settingValue(minimumFen, rows),
    feeBps: settingValue(feeBps, rows),
    feeFreeFromFen: settingValue(feeFreeFromFen, rows),
    dailyCount: settingValue(dailyCount, rows),
    dailyAmountFen: settingValue(dailyAmountFen, rows),
    secondApprovalFromFen: settingValue(secondApprovalFromFen, rows),
  };
}

export async function loadPayoutRules(d1: D1Database): Promise<PayoutRules> {
  return payoutRulesFrom((await payoutRulesStatement(d1).all<StoredSetting>()).results);
}

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

/** The fee of a withdrawal: basis points rounded down, nothing from the fee-free threshold on. */
export function withdrawalFee(rules: PayoutRules, amountFen: number): number {
  if (amountFen >= rules.feeFreeFromFen) return 0;
  return Math.floor((amountFen * rules.feeBps) / 10_000);
}

