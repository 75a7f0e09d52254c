import { env, exports } from "cloudflare:workers";
import { afterEach, expect } from "vitest";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { call } from "../support/api";

/** Seeds for the course-shop suites: a published course (members: `mintMember` in tests/support/api.ts). */
export async function seedCourse(id: string, priceFen: number, status = "published"): Promise<void> {
  const now = Date.now();
  await env.DB.prepare("INSERT INTO courses (id, title, price_fen, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(id, `课程 ${id}`, priceFen, status, now, now)
    .run();
}

export type PlacedOrder = { order: { id: string; status: string; amountFen: number }; payParams: { timeStamp: string; nonceStr: string; package: string; signType: string; paySign: string } };

export async function placeOrder(token: string, courseId: string): Promise<PlacedOrder> {
  const res = await call("/api/orders", { token, method: "POST", json: { courseId } });
  if (res.status !== 201 && res.status !== 200) throw new Error(`order failed ${res.status}: ${await res.text()}`);
  return res.json();
}

/** A notification as the sandbox produced it: where it goes, its signed headers and its exact body. */
export type Notification = { url: string; headers: Record<string, string>; body: string };

/** Asks the WeChat sandbox (reached through the pool's outbound routing) to act, e.g. "the member paid". */
export async function sandbox<T = Notification>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`https://api.mch.weixin.qq.com${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`sandbox ${path} ${res.status}: ${await res.text()}`);
  return res.json() as Promise<T>;
}

export const sandboxPay = (outTradeNo: string) => sandbox("/sandbox/pay", { out_trade_no: outTradeNo, deliver: false });

/** Delivers a notification to the worker itself, optionally altered (forgeries, stale timestamps). */
export function deliver(n: Notification, change: { headers?: Record<string, string>; body?: string } = {}): Promise<Response> {
  return exports.default.fetch(n.url, { method: "POST", headers: { ...n.headers, ...change.headers }, body: change.body ?? n.body });
}

export async function orderRow(id: string) {
  return env.DB.prepare("SELECT * FROM orders WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

export async function entitlement(memberId: string, courseId: string) {
  return env.DB.prepare("SELECT * FROM entitlements WHERE member_id = ? AND course_id = ?").bind(memberId, courseId).first<{ revoked_at: number | null; order_id: string }>();
}

/** Rows the money path writes, to prove that a refused notification wrote nothing. */
export async function writtenState() {
  const [o, e, s, r, t, a] = await env.DB.batch([
    env.DB.prepare("SELECT id, status, transaction_id, refunded_fen, refund_pending_fen FROM orders ORDER BY id"),
    env.DB.prepare("SELECT * FROM entitlements ORDER BY member_id, course_id"),
    env.DB.prepare("SELECT * FROM pay_settlements ORDER BY id"),
    env.DB.prepare("SELECT id, status FROM refunds ORDER BY id"),
    env.DB.prepare("SELECT id, amount FROM transfers ORDER BY id"),
    env.DB.prepare("SELECT id, debits_posted, credits_posted FROM accounts ORDER BY id"),
  ]);
  return { orders: o.results, entitlements: e.results, settlements: s.results, refunds: r.results, transfers: t.results, accounts: a.results };
}

/** Pays an order end to end: create → sandbox pay → deliver the notification. */
export async function paidOrder(token: string, courseId: string): Promise<{ orderId: string; notification: Notification }> {
  const placed = await placeOrder(token, courseId);
  const notification = await sandboxPay(placed.order.id);
  const res = await deliver(notification);
  if (res.status !== 204) throw new Error(`notify ${res.status}: ${await res.text()}`);
  return { orderId: placed.order.id, notification };
}

/**
 * The course shop's side of the ledger invariants: every course order that was paid has exactly one revenue posting of its
 * amount, no unpaid order has one, and every succeeded refund has exactly one reversal of its amount.
 */
export async function expectShopPostings(): Promise<void> {
  const [orders, refunds, transfers] = await env.DB.batch([
    env.DB.prepare("SELECT id, status, amount_fen FROM orders WHERE kind = 'course'"),
    env.DB.prepare("SELECT refunds.id, refunds.status, refunds.amount_fen FROM refunds JOIN orders ON orders.id = refunds.order_id WHERE orders.kind = 'course'"),
    env.DB.prepare("SELECT id, debit_account_id, credit_account_id, amount FROM transfers WHERE id LIKE 'order:%' OR id LIKE 'refund:%'"),
  ]);
  const byId = new Map((transfers.results as { id: string; debit_account_id: string; credit_account_id: string; amount: number }[]).map((t) => [t.id, t]));
  for (const o of orders.results as { id: string; status: string; amount_fen: number }[]) {
    const t = byId.get(`order:${o.id}:revenue`);
    if (["paid", "refunding", "refunded"].includes(o.status)) {
      expect(t, `revenue of ${o.id}`).toMatchObject({ debit_account_id: "wechat_clearing", credit_account_id: "revenue_course", amount: o.amount_fen });
    } else {
      expect(t, `no revenue for unpaid ${o.id}`).toBeUndefined();
    }
  }
  for (const r of refunds.results as { id: string; status: string; amount_fen: number }[]) {
    const t = byId.get(`refund:${r.id}`);
    if (r.status === "succeeded") expect(t, `reversal of ${r.id}`).toMatchObject({ debit_account_id: "revenue_course", credit_account_id: "wechat_clearing", amount: r.amount_fen });
    else expect(t, `no reversal for ${r.status} ${r.id}`).toBeUndefined();
  }
}

/** Registers the ledger checks to run after every scenario of the calling test file. */
export function checkLedgerAfterEach(): void {
  afterEach(async () => {
    await expectLedgerInvariants(env.DB);
    await expectShopPostings();
  });
}
