import { Layout, TIER_LABELS } from "./layout";
import { AuditTable } from "./audit-page";
import type { dashboardCounts } from "./queries";
import type { ConsoleSession } from "./session";

type Counts = Awaited<ReturnType<typeof dashboardCounts>>;

export function DashboardPage({ session, counts }: { session: ConsoleSession; counts: Counts }) {
  return (
    <Layout title="概览" admin={session.admin} csrfToken={session.csrfToken} active="dashboard">
      <h1>概览</h1>
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
