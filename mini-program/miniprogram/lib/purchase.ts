/**
 * Buying a course: the action the course page offers, and the payment flow (order → wx.requestPayment →
 * wait for the worker to hear from WeChat Pay), as plain functions with WeChat's calls passed in.
 */
import type { ResponseOf } from "./api-types";
import { priceLabel } from "./money";
import { RequestError } from "./problems";

export type PayParams = ResponseOf<"/api/orders", "post">["payParams"];
export type Order = ResponseOf<"/api/orders/{id}">;

/**
 * WeChat does not allow virtual goods (recorded courses included) to be bought inside a mini-program on
 * iOS: no buy button, no price, no wording that leads to paying, unless the app is set up for WeChat's
 * virtual payment. https://developers.weixin.qq.com/community/operate/detail/1006
 */
export const IOS_NOTE = "由于相关规范，iOS 暂不支持此功能";

export type PurchaseAction =
  /** 已购买/已开通 or free: open the first (or last studied) lesson. */
  | { kind: "learn"; label: string }
  | { kind: "buy"; label: string }
  /** iOS without virtual payment: a note instead of a button, and no price. */
  | { kind: "blocked"; label: string };

export type PurchaseContext = { platform: string; virtualPaymentOnIOS: boolean };

export function purchaseBlocked(ctx: PurchaseContext): boolean {
  return ctx.platform === "ios" && !ctx.virtualPaymentOnIOS;
}

export function purchaseAction(course: { priceFen: number; entitled: boolean; access?: string | null }, ctx: PurchaseContext): PurchaseAction {
  if (course.priceFen === 0) return { kind: "learn", label: "免费学习" };
  // On iOS even 已购买 counts as wording about paying, so the button only says 开始学习 there.
  if (course.entitled) return { kind: "learn", label: purchaseBlocked(ctx) ? "开始学习" : course.access === "order" ? "已购买，开始学习" : "已开通，开始学习" };
  if (purchaseBlocked(ctx)) return { kind: "blocked", label: IOS_NOTE };
  return { kind: "buy", label: `立即购买 ${priceLabel(course.priceFen)}` };
}

/** What wx.requestPayment reported: paid (per the client; the worker decides), cancelled, or failed. */
export type PaymentOutcome = { ok: true } | { ok: false; cancelled: boolean; errMsg: string };

/** `requestPayment:fail cancel` is the member closing the cashier; anything else is a failure. */
export function paymentOutcome(errMsg: string | undefined): PaymentOutcome {
  if (!errMsg || /:ok$/.test(errMsg)) return { ok: true };
  return { ok: false, cancelled: /cancel/i.test(errMsg), errMsg };
}

export type CheckoutResult =
  | { kind: "paying-confirmed"; orderId: string }
  | { kind: "cancelled"; orderId: string; message: string }
  | { kind: "failed"; orderId: string | null; message: string }
  /** Nothing to pay: the member already has the course (bought on another phone, granted by an admin). */
  | { kind: "owned"; message: string };

export type CheckoutDeps = {
  placeOrder(courseId: string, idempotencyKey: string): Promise<{ order: { id: string }; payParams: PayParams }>;
  requestPayment(params: PayParams): Promise<PaymentOutcome>;
};

/**
 * Places (or reuses) the order and opens WeChat's cashier. One idempotency key per tap: a retried POST is
 * answered with the first order instead of a second one. A cancelled payment leaves the order pending, to
 * be paid later from 我的订单 (the worker hands back the same open order).
 */
export async function checkout(deps: CheckoutDeps, courseId: string, idempotencyKey: string): Promise<CheckoutResult> {
  let placed: { order: { id: string }; payParams: PayParams };
  try {
    placed = await deps.placeOrder(courseId, idempotencyKey);
  } catch (e) {
    if (e instanceof RequestError && e.type === "/problems/already-entitled") return { kind: "owned", message: e.message };
    return { kind: "failed", orderId: null, message: e instanceof RequestError ? e.message : "下单失败，请稍后重试" };
  }
  const outcome = await deps.requestPayment(placed.payParams);
  if (outcome.ok) return { kind: "paying-confirmed", orderId: placed.order.id };
  if (outcome.cancelled) return { kind: "cancelled", orderId: placed.order.id, message: "已取消支付" };
  return { kind: "failed", orderId: placed.order.id, message: "支付失败，请稍后在“我的订单”中重新支付" };
}

export type SettledOrder = { order: Order; settled: boolean };

/**
 * After wx.requestPayment succeeds the worker learns of the payment from WeChat Pay's notification, which
 * can arrive a little later: ask for the order a bounded number of times. `settled` is false when it is
 * still pending at the end (the page then says 待确认 and offers to check again).
 */
export async function waitUntilPaid(
  fetchOrder: () => Promise<Order>,
  opts: { attempts?: number; intervalMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<SettledOrder> {
  const attempts = opts.attempts ?? 6;
  const intervalMs = opts.intervalMs ?? 1_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let order = await fetchOrder();
  for (let i = 1; i < attempts && order.status === "pending"; i++) {
    await sleep(intervalMs);
    order = await fetchOrder();
  }
  return { order, settled: order.status !== "pending" };
}
