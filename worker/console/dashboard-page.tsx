import { Layout, TIER_LABELS } from "./layout";
import { AuditTable } from "../audit/console/pages";
import { formatFen } from "./money";
import type { dashboardCounts } from "./dashboard";
import type { ConsoleSession } from "./session";

type Counts = Awaited<ReturnType<typeof dashboardCounts>>;

export function DashboardPage({ session, counts }: { session: ConsoleSession; counts: Counts }) {
  return (
    <Layout title="概览" admin={session.admin} csrfToken={session.csrfToken} active="dashboard">
      <h1>概览</h1>
      <div class="stats">
        <a class="stat" data-testid="paid-today" href="/admin/orders?status=paid">
          <b>{counts.sales.paidOrders}</b>
          <span>今日支付订单</span>
        </a>
        <div class="stat" data-testid="revenue-today">
          <b>{formatFen(counts.sales.revenueFen)}</b>
          <span>今日收入（北京时间 0 点起）</span>
        </div>
        <a class="stat" data-testid="pending-refunds" href="/admin/orders?status=refunding">
          <b>{counts.sales.pendingRefunds}</b>
          <span>待完成退款 · {formatFen(counts.sales.pendingRefundFen)}</span>
        </a>
      </div>
      <div class="stats">
        <div class="stat" data-testid="members-total">
          <b>{counts.total}</b>
          <span>会员总数</span>
        </div>
        {Object.entries(TIER_LABELS).map(([tier, label]) => (
          <div class="stat" data-tier={tier}>
            <b>{counts.tiers[tier] ?? 0}</b>
            <span>{label}</span>
          </div>
        ))}
        <div class="stat">
          <b>{counts.admins}</b>
          <span>管理员</span>
        </div>
      </div>
      <h2>
        最近操作 <a href="/admin/audit" class="muted">全部 →</a>
      </h2>
      <AuditTable rows={counts.recent} />
    </Layout>
  );
}
