/**
 * Auction lots as the pages show them: plain functions over the worker's JSON and the live socket's messages,
 * tested without rendering. Money is integer fen; times are ISO strings from the worker.
 */
import { formatFen } from "./money";

export type LotState = "upcoming" | "live" | "ended";
export type LiveLot = {
  currentPriceFen: number | null;
  nextMinFen: number;
  bidCount: number;
  endsAt: string;
  state: LotState;
  leader: { paddle: number; label: string } | null;
};

export const STATE_LABELS: Record<LotState, string> = { upcoming: "即将开拍", live: "竞拍中", ended: "已结束" };

export type LotCardView = { id: string; title: string; instructor: string; coverUrl: string; stateLabel: string; state: LotState; priceLabel: string; priceCaption: string; bidsLabel: string; endsAt: string };

export function lotCardView(lot: { id: string; title: string; instructor: string; coverUrl: string | null; state: LotState; startPriceFen: number; currentPriceFen: number | null; bidCount: number; endsAt: string }): LotCardView {
  return {
    id: lot.id,
    title: lot.title,
    instructor: lot.instructor,
    coverUrl: lot.coverUrl ?? "",
    state: lot.state,
    stateLabel: STATE_LABELS[lot.state],
    priceLabel: formatFen(lot.currentPriceFen ?? lot.startPriceFen),
    priceCaption: lot.currentPriceFen === null ? "起拍价" : lot.state === "ended" ? "最高价" : "当前价",
    bidsLabel: `${lot.bidCount} 次出价`,
    endsAt: lot.endsAt,
  };
}

/** The countdown under the price: it follows the end time the live socket pushes (anti-sniping extensions). */
export function countdownLabel(endsAt: string, state: LotState, nowMs: number, startsAt?: string): string {
  if (state === "ended") return "已结束";
  const target = state === "upcoming" && startsAt ? Date.parse(startsAt) : Date.parse(endsAt);
  let s = Math.max(0, Math.floor((target - nowMs) / 1000));
  if (state === "live" && s === 0) return "即将结束";
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const hh = String(Math.floor(s / 3600)).padStart(2, "0");
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, "0");
  const ss = String(s % 60).padStart(2, "0");
  return `${state === "upcoming" ? "距开拍" : "距结束"} ${d > 0 ? `${d}天 ` : ""}${hh}:${mm}:${ss}`;
}

/** What the bid bar offers: the next valid amount, and whether the member leads already. */
export function bidBar(live: LiveLot, leading: boolean) {
  return {
    canBid: live.state === "live",
    nextMinFen: live.nextMinFen,
    bidLabel: live.state === "live" ? `出价 ${formatFen(live.nextMinFen)}` : live.state === "upcoming" ? "未开拍" : "已结束",
    leadingLabel: leading ? "您当前领先" : "",
  };
}

/** Merges a live message into the page's standing; an older message (fewer bids) never overwrites a newer one. */
export function applyLive<T extends LiveLot>(current: T, message: Partial<LiveLot> & { bidCount: number }): T {
  if (message.bidCount < current.bidCount) return current;
  return { ...current, ...message };
}

/** "1000" or "1,000.50" typed in yuan → fen; null when it is not an amount. */
export function yuanToFen(text: string): number | null {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(text.replace(/,/g, "").trim());
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

export const LOT_PROBLEM_MESSAGES: Record<string, string> = {
  "/problems/outbid": "已被其他出价超过",
  "/problems/bid-too-low": "出价低于最低加价，请刷新后重试",
  "/problems/lot-closed": "竞拍已结束",
  "/problems/lot-not-started": "竞拍尚未开始",
  "/problems/deposit-required": "请先缴纳保证金",
  "/problems/already-shipped": "拍品已发货，无法修改地址",
  "/problems/deposit-already-paid": "已缴纳保证金",
  "/problems/no-deposit-needed": "该拍品无需保证金",
  "/problems/payment-deadline-passed": "已超过付款期限",
  "/problems/sale-paid": "已付款",
};
