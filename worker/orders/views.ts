import { z } from "@hono/zod-openapi";

export const ORDER_STATUSES = ["pending", "paid", "refunding", "refunded", "closed"] as const;
export const REFUND_STATUSES = ["processing", "succeeded", "closed", "abnormal"] as const;

export const RefundSchema = z
  .object({
    id: z.string(),
    amountFen: z.number().int(),
    reason: z.string(),
    status: z.enum(REFUND_STATUSES),
    createdAt: z.string(),
    settledAt: z.string().nullable(),
  })
  .openapi("Refund");

export const OrderSchema = z
  .object({
    id: z.string().openapi({ description: "Also the WeChat Pay out_trade_no." }),
    kind: z.string().openapi({ description: "What is bought: `course`, and the kinds later features add." }),
    subjectId: z.string().openapi({ description: "Which one of its kind (for a course order, the course id)." }),
    courseId: z.string().nullable().openapi({ description: "The course, for a course order; null for other kinds." }),
    description: z.string(),
    amountFen: z.number().int(),
    status: z.enum(ORDER_STATUSES),
    refundedFen: z.number().int(),
    refundingFen: z.number().int(),
    createdAt: z.string(),
    expiresAt: z.string(),
    paidAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    refunds: z.array(RefundSchema).optional(),
  })
  .openapi("Order");

export const PayParamsSchema = z
  .object({ timeStamp: z.string(), nonceStr: z.string(), package: z.string(), signType: z.literal("RSA"), paySign: z.string() })
  .openapi("PayParams", { description: "Pass as-is to wx.requestPayment." });

export type OrderView = z.infer<typeof OrderSchema>;
export type RefundView = z.infer<typeof RefundSchema>;

/** A row of `orders` as D1 returns it (snake_case). */
export type OrderRow = {
  id: string; kind: string; member_id: string; subject_id: string; open_key: string | null; description: string; amount_fen: number; status: (typeof ORDER_STATUSES)[number];
  prepay_id: string | null; prepaid_at: number | null; transaction_id: string | null; refunded_fen: number; refund_pending_fen: number; refund_count: number;
  expires_at: number; paid_at: number | null; closed_at: number | null; created_at: number;
};
export type RefundRow = {
  id: string; order_id: string; amount_fen: number; reason: string; status: (typeof REFUND_STATUSES)[number];
  wechat_refund_id: string | null; created_at: number; settled_at: number | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function refundView(r: RefundRow): RefundView {
  return { id: r.id, amountFen: r.amount_fen, reason: r.reason, status: r.status, createdAt: iso(r.created_at)!, settledAt: iso(r.settled_at) };
}

export function orderView(o: OrderRow, refunds?: RefundRow[]): OrderView {
  return {
    id: o.id, kind: o.kind, subjectId: o.subject_id, courseId: o.kind === "course" ? o.subject_id : null, description: o.description, amountFen: o.amount_fen, status: o.status,
    refundedFen: o.refunded_fen, refundingFen: o.refund_pending_fen,
    createdAt: iso(o.created_at)!, expiresAt: iso(o.expires_at)!, paidAt: iso(o.paid_at), closedAt: iso(o.closed_at),
    ...(refunds ? { refunds: refunds.map(refundView) } : {}),
  };
}
