/** What the crowdfunding pages show for a round and for 我的股份 (GET /api/rounds, /api/rounds/:id, /api/me/shares). */
import type { ResponseOf } from "./api-types";
import { formatFen } from "./money";
import { formatBeijingTime } from "./order-view";

export type Round = ResponseOf<"/api/rounds/{id}">;
export type MyShares = ResponseOf<"/api/me/shares">;

const STATE_LABELS: Record<string, string> = { draft: "未开放", open: "认购中", succeeded: "已成功", failed: "未达目标，已退款" };
const SUBSCRIPTION_LABELS: Record<string, string> = { reserved: "待支付", paid: "已支付", expired: "已过期", refunded: "已退款" };

/** "剩 2 天 3 小时", "剩 45 分钟", "已截止" — the time left until a round closes. */
export function timeLeftLabel(closesAt: string, now = Date.now()): string {
  const ms = Date.parse(closesAt) - now;
  if (!(ms > 0)) return "已截止";
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `剩 ${days} 天 ${hours} 小时`;
  if (hours > 0) return `剩 ${hours} 小时 ${minutes % 60} 分钟`;
  return `剩 ${Math.max(1, minutes)} 分钟`;
}

/** Shares sold as a whole percentage of the total, for the progress bar (never rounds up to 100 before it is). */
export function soldPercent(sold: number, total: number): number {
  if (total <= 0) return 0;
  return Math.min(100, Math.floor((sold * 100) / total));
}

export type RoundCard = {
  id: string;
  title: string;
  priceLabel: string;
  progress: number;
  progressLabel: string;
  stateLabel: string;
  timeLeft: string;
  open: boolean;
};

export function roundCard(r: Omit<Round, "mySubscriptions">, now = Date.now()): RoundCard {
  const open = r.state === "open" && Date.parse(r.opensAt) <= now && Date.parse(r.closesAt) > now;
  return {
    id: r.id,
    title: r.title,
    priceLabel: `${formatFen(r.sharePriceFen)} / 份`,
    progress: soldPercent(r.soldShares, r.totalShares),
    progressLabel: `已认购 ${r.soldShares} / ${r.totalShares} 份 · 目标 ${r.targetShares} 份`,
    stateLabel: r.state === "open" && !open ? (Date.parse(r.opensAt) > now ? "即将开放" : "已截止") : (STATE_LABELS[r.state] ?? r.state),
    timeLeft: r.state === "open" ? timeLeftLabel(r.closesAt, now) : "",
    open,
  };
}

export type RoundDetailView = RoundCard & {
  description: string;
  disclosure: string;
  disclosureVersion: number;
  rules: string[];
  sharesLeft: number;
  sharePriceFen: number;
  minShares: number;
  maxShares: number;
  /** The member's live (reserved or paid) subscription, if any. */
  mine: { shares: number; amountLabel: string; statusLabel: string; status: string; orderId: string | null } | null;
};

export function roundDetail(r: Round, now = Date.now()): RoundDetailView {
  const live = r.mySubscriptions.find((s) => s.status === "reserved" || s.status === "paid") ?? r.mySubscriptions[0] ?? null;
  return {
    ...roundCard(r, now),
    description: r.description,
    disclosure: r.riskDisclosure,
    disclosureVersion: r.disclosureVersion,
    rules: [
      `每份 ${formatFen(r.sharePriceFen)}，每人认购 ${r.minShares}–${r.maxShares} 份`,
      `认购期 ${formatBeijingTime(r.opensAt)} 至 ${formatBeijingTime(r.closesAt)}`,
      `截止时认购达到 ${r.targetShares} 份即成功，成为股东合伙人；未达目标全额原路退款`,
      "提交认购后请在支付时限内完成支付，逾期份额自动释放",
      "非公开定向认购，请勿转发或公开宣传",
    ],
    sharesLeft: r.sharesLeft,
    sharePriceFen: r.sharePriceFen,
    minShares: r.minShares,
    maxShares: Math.min(r.maxShares, r.sharesLeft),
    mine: live
      ? { shares: live.shares, amountLabel: formatFen(live.amountFen), statusLabel: SUBSCRIPTION_LABELS[live.status] ?? live.status, status: live.status, orderId: live.orderId }
      : null,
  };
}

/** The number of shares the stepper shows after a tap: within [min, max]. */
export function clampShares(n: number, min: number, max: number): number {
  if (!Number.isFinite(n)) return min;
  return Math.max(min, Math.min(max, Math.floor(n)));
}

/** 我的股份: holdings, percentage (bps → "12.34%"), dividends. */
export function mySharesView(s: MyShares) {
  return {
    totalShares: s.totalShares,
    percentLabel: `${Math.floor(s.percentBps / 100)}.${String(s.percentBps % 100).padStart(2, "0")}%`,
    payableLabel: formatFen(s.dividendsPayableFen),
    holdings: s.holdings.map((h) => ({ id: h.roundId, title: h.roundTitle, sharesLabel: `${h.shares} 份` })),
    subscriptions: s.subscriptions
      .filter((x) => x.status !== "paid" || !s.holdings.some((h) => h.roundId === x.roundId))
      .map((x) => ({ id: x.id, roundId: x.roundId, title: x.roundTitle, label: `${x.shares} 份 · ${formatFen(x.amountFen)}`, statusLabel: SUBSCRIPTION_LABELS[x.status] ?? x.status })),
    dividends: s.dividends.map((d) => ({ id: d.declarationId, period: d.period, amountLabel: formatFen(d.amountFen), sharesLabel: `${d.shares} 份`, paid: d.paidAt !== null })),
  };
}
