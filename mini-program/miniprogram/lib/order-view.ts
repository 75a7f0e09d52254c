/** What 我的订单 and the pay result page show for an order (GET /api/orders, GET /api/orders/:id). */
import type { ResponseOf } from "./api-types";
import { formatFen } from "./money";

export type Order = ResponseOf<"/api/orders/{id}">;
export type OrderStatus = Order["status"];

const STATUS_LABELS: Record<OrderStatus, string> = {
  pending: "待支付",
  paid: "已支付",
  refunding: "退款中",
  refunded: "已退款",
  closed: "已关闭",
};

export function orderStatusLabel(status: string): string {
  return STATUS_LABELS[status as OrderStatus] ?? "处理中";
}

/** "2026-11-25T09:05:00.000Z" → "2026-11-25 17:05" (China Standard Time, UTC+8, whatever the phone's zone). */
export function formatBeijingTime(iso: string | null): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return "";
  const d = new Date(ms + 8 * 3600_000);
  const two = (n: number) => (n < 10 ? `0${n}` : String(n));
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}`;
}

export type OrderRow = {
  id: string;
  courseId: string;
  title: string;
  amountLabel: string;
  status: OrderStatus;
  statusLabel: string;
  /** "已退款 ¥99.00", "退款中 ¥50.00" (both when a partial refund is settled and another is in flight). */
  refundLabel: string;
  timeLabel: string;
  /** A pending order that has not expired can be paid again (the worker reuses it). */
  payable: boolean;
};

export function orderRow(o: Order, now = Date.now()): OrderRow {
  const refundParts: string[] = [];
  if (o.refundedFen > 0) refundParts.push(`已退款 ${formatFen(o.refundedFen)}`);
  if (o.refundingFen > 0) refundParts.push(`退款中 ${formatFen(o.refundingFen)}`);
  return {
    id: o.id,
    // Orders of other kinds (shares, deposits…) have no course; their pages come with their features.
    courseId: o.courseId ?? "",
    title: o.description,
    amountLabel: formatFen(o.amountFen),
    status: o.status,
    statusLabel: orderStatusLabel(o.status),
    refundLabel: refundParts.join("，"),
    timeLabel: `下单时间 ${formatBeijingTime(o.createdAt)}`,
    payable: o.status === "pending" && o.courseId !== null && !(Date.parse(o.expiresAt) <= now),
  };
}
