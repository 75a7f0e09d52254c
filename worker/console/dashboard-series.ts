/**
 * What a domain contributes to 概览 (the console's dashboard): daily series over the last 30 Beijing calendar days,
 * drawn as charts, and cards of its current state. Each domain declares its figures in its own module
 * (worker/<domain>/console/figures.ts) and worker/console/dashboard-figures.ts lists them, the way
 * worker/console/pages.ts lists pages: the shell knows no feature.
 */
import { beijingDate, beijingDayStart, DAY_MS } from "../calendar/beijing";

/** The dashboard's days, oldest first, as YYYY-MM-DD Beijing dates, and their bounds [fromMs, toMs) in epoch ms. */
export type DashboardWindow = { days: string[]; today: string; fromMs: number; toMs: number };

export const DASHBOARD_DAYS = 30;

/** The `count` Beijing calendar days ending with the one that holds `now`. */
export function dashboardWindow(now: number, count = DASHBOARD_DAYS): DashboardWindow {
  const todayStart = beijingDayStart(now);
  const fromMs = todayStart - (count - 1) * DAY_MS;
  const days = Array.from({ length: count }, (_, i) => beijingDate(fromMs + i * DAY_MS));
  return { days, today: days[days.length - 1], fromMs, toMs: todayStart + DAY_MS };
}

/** Rows `{ day, value }` of a daily query spread over the window's days (0 where a day has no row). */
export function perDay(rows: unknown[], w: DashboardWindow, field = "value"): number[] {
  const byDay = new Map((rows as Record<string, unknown>[]).map((r) => [String(r.day), Number(r[field] ?? 0)]));
  return w.days.map((d) => byDay.get(d) ?? 0);
}

export type DailySeries = {
  /** Stable name: the chart's `data-series`, the today card's `data-testid` is `today-<key>` unless `testId` says. */
  key: string;
  testId?: string;
  /** Chinese, as an operator says it: 支付金额, 新会员. */
  label: string;
  unit: "fen" | "count";
  /** One value per day of the window, oldest first. */
  values: number[];
  /** The list behind the figure for a range of Beijing dates (both included); null for a derived figure. */
  href: ((from: string, to: string) => string) | null;
  /** A short note under the chart on what is counted (which time, which statuses). */
  note: string;
};

/** A figure of the current state (awaiting approval, frozen commission…), not of a day. */
export type DashboardCard = { testId?: string; tier?: string; label: string; value: string; href?: string };

export type DashboardFigures = {
  /**
   * Read statements for the window; every domain's run together in one batch (one round trip). Each must be
   * bounded: a daily GROUP BY over an indexed time column restricted to [fromMs, toMs), or a small aggregate.
   */
  statements(d1: D1Database, w: DashboardWindow): D1PreparedStatement[];
  /** The domain's series and cards from the results of its own statements, in the same order. */
  read(results: D1Result[], w: DashboardWindow): { series?: DailySeries[]; cards?: DashboardCard[] };
};

/** A list link with a Beijing date range, the way the console's lists take it. */
export const withDates = (path: string, from: string, to: string, extra: Record<string, string> = {}) =>
  `${path}?${new URLSearchParams({ ...extra, from, to })}`;
