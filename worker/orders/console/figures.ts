import { beijingDateSql } from "../../calendar/beijing";
import { perDay, withDates, type DashboardFigures } from "../../console/dashboard-series";
import { formatFen } from "../../console/money";

/**
 * Orders on 概览: money paid per day (by the day of payment, every order kind), refunds settled per day (by the day
 * WeChat confirmed them) and the net of the two, plus refunds still awaiting WeChat. The amounts are those the
 * fulfilment and refund batches post to the ledger in the same batch (a payment debits wechat_clearing, a settled
 * refund credits it), so the series reconcile with the journal day by day.
 */
export const orderFigures: DashboardFigures = {
  statements: (d1, w) => [
    // orders_paid_idx (paid_at, amount_fen) covers this: a range scan of the window's payments only.
    d1.prepare(`SELECT ${beijingDateSql("paid_at")} AS day, count(*) AS n, sum(amount_fen) AS value FROM orders WHERE paid_at >= ? AND paid_at < ? GROUP BY 1`)
      .bind(w.fromMs, w.toMs),
    // refunds_status_settled_idx (status, settled_at, amount_fen) covers this.
    d1.prepare(
      `SELECT ${beijingDateSql("settled_at")} AS day, count(*) AS n, sum(amount_fen) AS value FROM refunds
       WHERE status = 'succeeded' AND settled_at >= ? AND settled_at < ? GROUP BY 1`,
    ).bind(w.fromMs, w.toMs),
    d1.prepare("SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS fen FROM refunds WHERE status = 'processing'"),
  ],
  read: ([paid, refunded, awaiting], w) => {
    const paidFen = perDay(paid.results, w);
    const refundedFen = perDay(refunded.results, w);
    const paidCount = perDay(paid.results, w, "n");
    const a = awaiting.results[0] as { n: number; fen: number };
    return {
      series: [
        { key: "paid", label: "支付金额", unit: "fen", values: paidFen, href: (from, to) => withDates("/admin/orders", from, to), note: "按支付日期（北京时间），含各类订单" },
        { key: "refunds", label: "退款金额", unit: "fen", values: refundedFen, href: (from, to) => withDates("/admin/refunds", from, to, { status: "succeeded" }), note: "按微信确认退款成功的日期" },
        { key: "net", testId: "revenue-today", label: "净收入", unit: "fen", values: paidFen.map((p, i) => p - refundedFen[i]),
          // The payments are the list behind it; each order's page shows its refunds.
          href: (from, to) => withDates("/admin/orders", from, to), note: "支付金额减去当日退款成功金额" },
      ],
      cards: [
        { testId: "paid-today", label: "今日支付订单", value: String(paidCount[paidCount.length - 1]), href: withDates("/admin/orders", w.today, w.today) },
        { testId: "pending-refunds", label: `待完成退款 · ${formatFen(a.fen)}`, value: String(a.n), href: "/admin/refunds?status=processing" },
      ],
    };
  },
};
