import { count } from "drizzle-orm";
import type { Db } from "../http/context";
import { adminUsers } from "../../schema";
import { auditPage } from "../audit/queries";
import { dashboardFigures } from "./dashboard-figures";
import { dashboardWindow, type DailySeries, type DashboardCard, type DashboardFigures } from "./dashboard-series";

export type Dashboard = Awaited<ReturnType<typeof dashboardCounts>>;

/**
 * The figures of 概览 for the last 30 Beijing days: every domain's statements in one D1 batch (one round trip),
 * each a GROUP BY day over an indexed time column of the window or a small aggregate, then read back per domain.
 */
export async function readFigures(d1: D1Database, now = Date.now(), figures: DashboardFigures[] = dashboardFigures) {
  const w = dashboardWindow(now);
  const groups = figures.map((f) => f.statements(d1, w));
  const results = await d1.batch(groups.flat());
  const series: DailySeries[] = [];
  const cards: DashboardCard[] = [];
  let at = 0;
  figures.forEach((f, i) => {
    const read = f.read(results.slice(at, at + groups[i].length), w);
    at += groups[i].length;
    series.push(...(read.series ?? []));
    cards.push(...(read.cards ?? []));
  });
  return { window: w, series, cards };
}

/** 概览: the domains' figures, the console users and the latest audit entries (both the shell's own). */
export async function dashboardCounts(db: Db, d1: D1Database, now = Date.now()) {
  const [figures, [adminCount], recent] = await Promise.all([
    readFigures(d1, now),
    db.select({ n: count() }).from(adminUsers),
    auditPage(db, {}, undefined, 5),
  ]);
  return { ...figures, admins: adminCount.n, recent: recent.items };
}
