import { Layout } from "./layout";
import { AuditTable } from "../audit/console/pages";
import { CHART_CSS, DailyChart, formatValue } from "./dashboard-chart";
import type { Dashboard } from "./dashboard";
import type { DashboardCard } from "./dashboard-series";
import type { ConsoleSession } from "./session";

function Card({ card }: { card: DashboardCard }) {
  const body = [<b>{card.value}</b>, <span>{card.label}</span>];
  return card.href ? (
    <a class="stat" href={card.href} data-testid={card.testId} data-tier={card.tier}>{body}</a>
  ) : (
    <div class="stat" data-testid={card.testId} data-tier={card.tier}>{body}</div>
  );
}

/** 概览: today's figures (net of refunds), the current state, 30-day charts, and the latest admin actions. */
export function DashboardPage({ session, counts }: { session: ConsoleSession; counts: Dashboard }) {
  const w = counts.window;
  const today: DashboardCard[] = counts.series.map((s) => ({
    testId: s.testId ?? `today-${s.key}`,
    label: `今日${s.label}`,
    value: formatValue(s, s.values[s.values.length - 1]),
    href: s.href ? s.href(w.today, w.today) : undefined,
  }));
  return (
    <Layout title="概览" admin={session.admin} csrfToken={session.csrfToken} active="dashboard">
      <style>{CHART_CSS}</style>
      <h1>概览</h1>
      <h2>今日（{w.today}，北京时间 0 点起）</h2>
      <div class="stats" data-testid="today">
        {today.map((card) => <Card card={card} />)}
      </div>
      <div class="stats">
        {counts.cards.map((card) => <Card card={card} />)}
        <div class="stat">
          <b>{counts.admins}</b>
          <span>管理员</span>
        </div>
      </div>
      <h2>近 {w.days.length} 天趋势</h2>
      <div class="charts">
        {counts.series.map((s) => <DailyChart series={s} window={w} />)}
      </div>
      <h2>
        最近操作 <a href="/admin/audit" class="muted">全部 →</a>
      </h2>
      <AuditTable rows={counts.recent} />
    </Layout>
  );
}
