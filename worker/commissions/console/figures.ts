import { beijingDateSql } from "../../calendar/beijing";
import { perDay, withDates, type DashboardFigures } from "../../console/dashboard-series";
import { formatFen } from "../../console/money";

/**
 * Commissions on 概览: commission accrued per day (by the day the paid order created it; the fulfilment batch posts
 * the same amounts as `commission_accrued` from commission_expense), and what members hold frozen and available.
 */
export const commissionFigures: DashboardFigures = {
  statements: (d1, w) => [
    // commissions_created_idx (created_at, amount_fen) covers this.
    d1.prepare(`SELECT ${beijingDateSql("created_at")} AS day, count(*) AS n, sum(amount_fen) AS value FROM commissions WHERE created_at >= ? AND created_at < ? GROUP BY 1`)
      .bind(w.fromMs, w.toMs),
    // One row per member account: bounded by the number of partners.
    d1.prepare(
      `SELECT code, coalesce(sum(credits_posted - debits_posted - debits_pending), 0) AS fen FROM accounts
       WHERE code IN ('commission_frozen', 'commission_available') GROUP BY code`,
    ),
  ],
  read: ([accrued, held], w) => {
    const c = Object.fromEntries((held.results as { code: string; fen: number }[]).map((r) => [r.code, r.fen]));
    return {
      series: [
        { key: "commissions", label: "佣金计提", unit: "fen", values: perDay(accrued.results, w), href: (from, to) => withDates("/admin/commissions", from, to), note: "按产生佣金的支付日期，含之后被取消或追回的部分" },
      ],
      cards: [
        { testId: "commissions-frozen", label: "冻结中佣金", value: formatFen(c.commission_frozen ?? 0), href: "/admin/commissions" },
        { testId: "commissions-available", label: "可提现佣金", value: formatFen(c.commission_available ?? 0), href: "/admin/commissions" },
      ],
    };
  },
};
