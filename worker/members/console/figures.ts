import { TIER_LABELS } from "../../console/layout";
import { beijingDateSql } from "../../calendar/beijing";
import { perDay, withDates, type DashboardFigures } from "../../console/dashboard-series";

/** Members on 概览: new members per day (by the day they first logged in) and the members by tier. */
export const memberFigures: DashboardFigures = {
  statements: (d1, w) => [
    // members_created_idx: a range scan of the window's new members.
    d1.prepare(`SELECT ${beijingDateSql("created_at")} AS day, count(*) AS value FROM members WHERE created_at >= ? AND created_at < ? GROUP BY 1`).bind(w.fromMs, w.toMs),
    d1.prepare("SELECT tier, count(*) AS n FROM members GROUP BY tier"),
  ],
  read: ([joined, byTier], w) => {
    const tiers = byTier.results as { tier: string; n: number }[];
    return {
      series: [{ key: "members", label: "新会员", unit: "count", values: perDay(joined.results, w), href: (from, to) => withDates("/admin/members", from, to), note: "按注册日期（首次登录）" }],
      cards: [
        { testId: "members-total", label: "会员总数", value: String(tiers.reduce((sum, r) => sum + r.n, 0)), href: "/admin/members" },
        ...Object.entries(TIER_LABELS).map(([tier, label]) => ({
          tier, label, value: String(tiers.find((r) => r.tier === tier)?.n ?? 0), href: `/admin/members?${new URLSearchParams({ tier })}`,
        })),
      ],
    };
  },
};
