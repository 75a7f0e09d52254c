import { z } from "zod";
import { declareSetting } from "../settings/declare";

/** The payout rules an operator changes in 系统设置 (integer fen and basis points). */
const fen = (max: number) => z.number().int().min(0).max(max);

export const minimumFen = declareSetting<number>({
  key: "payouts.minimumFen", label: "最低提现金额（分）", help: "单笔提现的最低金额，单位为分；100 = ¥1。微信商家转账单笔最低 ¥0.10（10 分）。",
  schema: z.number().int().min(10).max(100_000_000), default: 100,
});
export const feeBps = declareSetting<number>({
  key: "payouts.feeBps", label: "提现手续费（基点）", help: "按申请金额收取，1% = 100 基点，向下取整到分；0 表示不收手续费。",
  schema: z.number().int().min(0).max(5_000), default: 100,
});
export const feeFreeFromFen = declareSetting<number>({
  key: "payouts.feeFreeFromFen", label: "免手续费门槛（分）", help: "单笔申请金额达到该值（含）免手续费；100000 = ¥1,000。",
  schema: fen(1_000_000_000), default: 100_000,
});
export const dailyCount = declareSetting<number>({
  key: "payouts.dailyCount", label: "每日提现次数上限", help: "每位会员每个北京时间自然日最多申请的次数（被驳回的申请也计入）。",
  schema: z.number().int().min(1).max(100_000), default: 3,
});
export const dailyAmountFen = declareSetting<number>({
  key: "payouts.dailyAmountFen", label: "每日提现金额上限（分）", help: "每位会员每个北京时间自然日申请金额的合计上限；5000000 = ¥50,000。",
  schema: z.number().int().min(1).max(1_000_000_000_000), default: 5_000_000,
});
export const secondApprovalFromFen = declareSetting<number>({
  key: "payouts.secondApprovalFromFen", label: "双人复核门槛（分）", help: "单笔申请金额达到该值（含）时，需两位不同的管理员先后通过；500000 = ¥5,000。",
  schema: fen(1_000_000_000_000), default: 500_000,
});

export const payoutSettings = [minimumFen, feeBps, feeFreeFromFen, dailyCount, dailyAmountFen, secondApprovalFromFen];
