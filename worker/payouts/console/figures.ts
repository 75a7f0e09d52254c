import { beijingDateSql } from "../../calendar/beijing";
import { perDay, withDates, type DashboardFigures } from "../../console/dashboard-series";
import { formatFen } from "../../console/money";

/**
 * Payouts on 概览: money paid out per day (the net amount WeChat transferred, by the day the transfer succeeded —
 * the same batch posts `withdrawal_paid` from payout_in_flight to wechat_clearing) and the queue awaiting a decision.
 */
export const payoutFigures: DashboardFigures = {
  statements: (d1, w) => [
    // withdrawals_status_finished_idx (status, finished_at): a range scan of the window's paid withdrawals.
    d1.prepare(
      `SELECT ${beijingDateSql("finished_at")} AS day, count(*) AS n, sum(net_fen) AS value FROM withdrawals
       WHERE status = 'paid' AND finished_at >= ? AND finished_at < ? GROUP BY 1`,
    ).bind(w.fromMs, w.toMs),
    d1.prepare("SELECT count(*) AS n, coalesce(sum(amount_fen), 0) AS fen FROM withdrawals WHERE status = 'pending'"),
  ],
  read: ([paid, awaiting], w) => {
    const a = awaiting.results[0] as { n: number; fen: number };
    return {
      series: [
        { key: "payouts", label: "已到账提现", unit: "fen", values: perDay(paid.results, w), href: (from, to) => withDates("/admin/payouts", from, to, { status: "paid" }), note: "按微信转账成功的日期，计到账金额（扣除手续费后）" },
      ],
      cards: [{ testId: "payouts-awaiting", label: `待审核提现 · ${formatFen(a.fen)}`, value: String(a.n), href: "/admin/payouts?status=pending" }],
    };
  },
};
