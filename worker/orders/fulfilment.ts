import type { Logger } from "../http/log";
import { ApiError } from "../http/problem";
import type { WechatPayConfig } from "../wechat/pay/client";
import type { Transaction } from "../wechat/pay/api";
import { accrualStatements, spendStatements } from "../commissions/accrual";
import { tierTriggers } from "../commissions/settings";
import { settingsStatement, settingValue, type StoredSetting } from "../settings/read";
import { paysCommissions } from "./kind";
import { orderKind } from "./kinds";
import type { OrderRow } from "./views";

export const paymentMismatch = (detail: string) => new ApiError(400, "payment-mismatch", detail, undefined, "Payment does not match the order");

/**
 * Settles a successful WeChat Pay transaction (from a verified notification or a signed query answer):
 * order paid and whatever its kind adds (a course: entitlement granted, revenue posted), commissions accrued for
 * an order that pays commissions (`paysCommissions`) and the buyer's lifetime spend counted — in ONE batch that
 * takes effect at most once.
 *
 * Why it is safe under duplicates and concurrency: the first statement flips the order to paid only
 * `WHERE status IN ('pending','closed')` and stamps it with this attempt's random `fulfilment_id`; the other
 * statements only act on an order carrying that stamp; and the last statement inserts `pay_settlements`
 * `order:<id>` whose CHECK(gate = 1) fails unless the stamp is there — so a losing attempt rolls back whole,
 * ledger transfers included (which also collide on `order:<id>:revenue`).
 */
export async function fulfilPayment(d1: D1Database, config: WechatPayConfig, tx: Transaction, log: Logger, now = new Date()): Promise<"fulfilled" | "already"> {
  const [orderRead, settingsRead] = await d1.batch([
    d1.prepare("SELECT * FROM orders WHERE id = ?").bind(tx.out_trade_no),
    settingsStatement(d1, [tierTriggers]),
  ]);
  const order = orderRead.results[0] as OrderRow | undefined;
  if (!order) throw paymentMismatch(`No order ${String(tx.out_trade_no).slice(0, 40)}.`);
  const problems = [
    tx.mchid !== config.mchid && "mchid",
    tx.appid !== config.appid && "appid",
    tx.amount?.total !== order.amount_fen && "amount",
    (tx.amount?.currency ?? "CNY") !== "CNY" && "currency",
    tx.trade_state !== "SUCCESS" && tx.trade_state !== "REFUND" && "trade_state",
    !tx.transaction_id && "transaction_id",
  ].filter(Boolean);
  if (problems.length > 0) {
    log.warn("payment does not match its order; nothing written", { orderId: order.id, fields: problems, amount: tx.amount?.total, expected: order.amount_fen });
    throw paymentMismatch(`The payment's ${problems.join(", ")} do not match order ${order.id}.`);
  }
  if (order.status !== "pending" && order.status !== "closed") return alreadySettled(order, tx, log);

  const kind = orderKind(order.kind);
  const paid = { id: order.id, memberId: order.member_id, amountFen: order.amount_fen, commissionPlan: order.commission_plan };
  const fulfilmentId = crypto.randomUUID();
  const t = now.getTime();
  const stamped = "EXISTS (SELECT 1 FROM orders WHERE id = ?1 AND fulfilment_id = ?2)";
  const gate = { sql: "EXISTS (SELECT 1 FROM orders WHERE id = ? AND fulfilment_id = ?)", params: [order.id, fulfilmentId] };
  try {
    await d1.batch([
      // A closed order that WeChat nonetheless reports paid (paid just before closing) is still money received.
      d1.prepare(
        `UPDATE orders SET status = 'paid', transaction_id = ?3, fulfilment_id = ?2, paid_at = ?4, updated_at = ?4
         WHERE id = ?1 AND status IN ('pending', 'closed') AND amount_fen = ?5`,
      ).bind(order.id, fulfilmentId, tx.transaction_id, t, order.amount_fen),
      ...kind.onFulfilment(d1, { id: order.id, memberId: order.member_id, subjectId: order.subject_id, amountFen: order.amount_fen }, gate, now),
      // Commissions (only orders of kinds that declare themselves commissionable pay any) and the buyer's lifetime spend.
      ...(paysCommissions(kind, paid) ? [...accrualStatements(d1, paid, gate, now), ...spendStatements(d1, paid, settingValue(tierTriggers, settingsRead.results as StoredSetting[]), gate, now)] : []),
      d1.prepare(`INSERT INTO pay_settlements (id, order_id, wechat_id, gate, created_at) SELECT 'order:' || ?1, ?1, ?3, ${stamped}, ?4`)
        .bind(order.id, fulfilmentId, tx.transaction_id, t),
    ]);
  } catch (e) {
    // Lost the race to a concurrent delivery of the same payment: that one fulfilled it.
    const now2 = await d1.prepare("SELECT * FROM orders WHERE id = ?").bind(order.id).first<OrderRow>();
    if (now2 && now2.status !== "pending" && now2.status !== "closed") {
      log.info("concurrent fulfilment rolled back; the order was fulfilled by another delivery", { orderId: order.id, error: String(e).slice(0, 200) });
      return alreadySettled(now2, tx, log);
    }
    throw e;
  }
  log.info("order paid", { orderId: order.id, kind: order.kind, amountFen: order.amount_fen, transactionId: tx.transaction_id });
  return "fulfilled";
}

function alreadySettled(order: OrderRow, tx: Transaction, log: Logger): "already" {
  if (order.transaction_id !== tx.transaction_id) {
    log.error("order already paid by another transaction", { orderId: order.id, stored: order.transaction_id, notified: tx.transaction_id });
    throw ApiError.conflict("order-paid-by-other-transaction", `Order ${order.id} was paid by another transaction.`);
  }
  return "already";
}
