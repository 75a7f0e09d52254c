/** What 推广中心 shows, from the partner routes: plain functions, tested without rendering. */
import { formatFen } from "./money";

export type Earnings = { frozenFen: number; availableFen: number; inFlightFen: number; withdrawnFen: number; debtFen: number; lifetimeFen: number };
export type DailyPoint = { date: string; earnedFen: number };
export type CommissionRecord = {
  id: string; orderId: string; title: string; buyerNickname: string; level: number; rateBps: number; amountFen: number; keptFen: number;
  status: "frozen" | "available" | "cancelled" | "clawed_back"; createdAt: string; availableAt: string;
};
export type TeamMember = { nickname: string; avatarUrl: string; joinedAt: string; hasBought: boolean };

/** Tiers that see 推广中心; the others see 申请成为推广员. */
export const PARTNER_TIERS = ["promoter", "channel_partner", "shareholder"];
export const isPartner = (tier: string) => PARTNER_TIERS.includes(tier);

export function earningsView(e: Earnings) {
  return {
    available: formatFen(e.availableFen),
    frozen: formatFen(e.frozenFen),
    inFlight: formatFen(e.inFlightFen),
    withdrawn: formatFen(e.withdrawnFen),
    lifetime: formatFen(e.lifetimeFen),
    debt: e.debtFen > 0 ? formatFen(e.debtFen) : "",
  };
}

/**
 * The 30-day bar chart, drawn with plain WXML views: each bar's height is its share of the best day (a day with
 * earnings is never drawn flat), and every fifth date is labelled (MM-DD) so the axis stays readable.
 */
export function chartBars(days: DailyPoint[]) {
  const max = Math.max(0, ...days.map((d) => d.earnedFen));
  const total = days.reduce((n, d) => n + d.earnedFen, 0);
  return {
    total: formatFen(total),
    empty: max === 0,
    bars: days.map((d, i) => ({
      date: d.date,
      amount: formatFen(d.earnedFen),
      heightPct: max === 0 || d.earnedFen <= 0 ? 0 : Math.max(4, Math.round((d.earnedFen / max) * 100)),
      label: (days.length - 1 - i) % 5 === 0 ? d.date.slice(5) : "",
    })),
  };
}

const STATUS_LABELS: Record<CommissionRecord["status"], string> = { frozen: "冻结中", available: "已到账", cancelled: "已取消", clawed_back: "已追回" };

const day = (iso: string) => iso.slice(0, 10);

export function commissionItemView(r: CommissionRecord) {
  return {
    id: r.id,
    title: r.title,
    buyer: r.buyerNickname,
    level: r.level === 1 ? "一级" : "二级",
    rate: `${r.rateBps / 100}%`,
    amount: formatFen(r.keptFen),
    reduced: r.keptFen !== r.amountFen ? `原 ${formatFen(r.amountFen)}` : "",
    status: STATUS_LABELS[r.status] ?? r.status,
    statusKey: r.status,
    date: day(r.createdAt),
    availableHint: r.status === "frozen" ? `${day(r.availableAt)} 解冻` : "",
  };
}

export function teamItemView(t: TeamMember) {
  return { nickname: t.nickname, avatarUrl: t.avatarUrl, joined: day(t.joinedAt), bought: t.hasBought ? "已购课" : "未购课" };
}
