/**
 * What an order kind declares. The order itself (status, amounts, prepay, refunds, settlement gates) is the
 * orders module's; a kind adds only what its subject needs to the orders module's own single batches.
 *
 * Statements a kind returns are put INSIDE the settling batch, before its `pay_settlements` gate, so they take
 * effect exactly once together with the payment, refund or close — or roll back with it. Each must act only
 * when `gate` holds (append `AND ${gate.sql}` to its WHERE and bind `...gate.params` last, with plain `?`
 * placeholders); ledger transfers need no gate because their ids collide and the batch rolls back whole.
 */
export type OrderKind = {
  /** Stored in `orders.kind`; never renamed once orders exist. */
  name: string;
  /** How long an unpaid order stays open (WeChat `time_expire`). Over 2 h, paying again gets a fresh prepay_id. */
  ttlMs: number;
  /** Apple's rule for mini-programs: virtual goods (courses) may not be paid on iOS; shares, deposits, physical works may. */
  iosAllowed: boolean;
  /**
   * Whether a sale of this kind earns referral commission (and counts toward the buyer's lifetime spend): `true`
   * always — its caller passes the buyer's snapshot; `false` never, and no caller may pass one (crowdfunding
   * subscriptions, deposits: the law's line, not a setting); `"per-order"` when the subject says so (an auction lot
   * configured to pay) — its caller passes a snapshot then, and an order placed without one pays nothing.
   */
  commissionable: boolean | "per-order";
  /** What WeChat shows the payer (≤ 127 bytes; the order keeps it). */
  description(subject: { id: string; title: string }): string;
  /**
   * The one-open-order rule: orders with the same key cannot both be pending (a unique index decides, not a
   * read-then-write). `course:<member>:<course>` is one per member and course; a key without the member
   * (`auction_purchase:<lot>`) is one per subject whoever pays; null allows any number of open orders.
   */
  openKey(order: { memberId: string; subjectId: string }): string | null;
  /** Added to the fulfilment batch (the order was just marked paid): grant the subject and post the revenue. */
  onFulfilment(d1: D1Database, order: KindOrder, gate: Gate, now: Date): D1PreparedStatement[];
  /** Added to the refund settlement batch (`order.status` in the row is already the new one): take back, reverse. */
  onRefundSettled(d1: D1Database, order: KindOrder, refund: { id: string; amountFen: number }, gate: Gate, now: Date): D1PreparedStatement[];
  /**
   * Added to the batch that closes an unpaid order (expired or closed at WeChat): release what was held for it.
   * WeChat may still report a payment made just before the close; `onFulfilment` then runs for a closed order.
   */
  onClose(d1: D1Database, order: KindOrder, gate: Gate, now: Date): D1PreparedStatement[];
};

/** What `orders.commission_plan` holds for an order placed without a commission snapshot. */
export const NO_COMMISSION_PLAN = "[]";

/** Whether this order pays commissions: its kind always does, or decides per order and the order carries a snapshot. */
export const paysCommissions = (kind: Pick<OrderKind, "commissionable">, order: { commissionPlan: string | null | undefined }) =>
  kind.commissionable === true || (kind.commissionable === "per-order" && (order.commissionPlan ?? NO_COMMISSION_PLAN) !== NO_COMMISSION_PLAN);

/** The order as a kind sees it. */
export type KindOrder = { id: string; memberId: string; subjectId: string; amountFen: number };

/** An SQL condition (plain `?` placeholders) true only inside the batch that won this settlement. */
export type Gate = { sql: string; params: unknown[] };

/** A prepay_id is valid for 2 h (https://pay.weixin.qq.com/doc/v3/merchant/4012791856); renew with a margin. */
export const PREPAY_LIFETIME_MS = 2 * 3600_000;
export const PREPAY_RENEW_AFTER_MS = PREPAY_LIFETIME_MS - 10 * 60_000;
