import { AuditTable } from "../../audit/console/pages";
import { CommissionsTable, TierHistoryTable, type CommissionLine, type TierChangeLine } from "../../commissions/console/sections";
import { TIERS } from "../../http/auth";
import { Messages } from "../../courses/console/pages";
import { Layout, TIER_LABELS, TierTag, formatTime } from "../../console/layout";
import type { MemberRow, memberDetail } from "./queries";
import type { MemberActivity } from "./activity";
import { MemberCourses, MemberEarnings, MemberOrders } from "./activity-sections";
import type { ConsoleSession } from "../../console/session";
import { DayRangeFields, listHref, Pager } from "../../console/list-filters";

function MemberLink({ id, nickname }: { id: string | null; nickname: string | null }) {
  if (!id) return <span class="muted">—</span>;
  return <a href={`/admin/members/${encodeURIComponent(id)}`}>{nickname || id}</a>;
}

/** The referrer and the referrer's referrer: the two levels that may earn commission on this member. */
function ReferrerChain({ row }: { row: Pick<MemberRow, "referrer1Id" | "referrer1Nickname" | "referrer2Id" | "referrer2Nickname"> }) {
  if (!row.referrer1Id) return <span class="muted">无推荐人</span>;
  return (
    <span class="chain">
      <MemberLink id={row.referrer1Id} nickname={row.referrer1Nickname} />
      {row.referrer2Id ? (
        <>
          <span class="muted">←</span>
          <MemberLink id={row.referrer2Id} nickname={row.referrer2Nickname} />
        </>
      ) : null}
    </span>
  );
}

function Roles({ roles }: { roles: string[] }) {
  return <>{roles.map((r) => <span class="tag admin">{r}</span>)}</>;
}

export type MemberListFilters = { q: string; tier?: string; from?: string; to?: string };

export function MembersPage({ session, filters, rows, nextCursor }: { session: ConsoleSession; filters: MemberListFilters; rows: MemberRow[]; nextCursor: string | null }) {
  return (
    <Layout title="会员" admin={session.admin} csrfToken={session.csrfToken} active="members">
      <h1>会员</h1>
      <form class="search" method="get" action="/admin/members" data-testid="members-filter">
        <input type="search" name="q" value={filters.q} placeholder="昵称、openid、手机号或邀请码" maxlength={64} />
        <select name="tier" aria-label="等级" data-testid="filter-tier">
          <option value="">全部等级</option>
          {TIERS.map((t) => (
            <option value={t} selected={t === filters.tier}>
              {TIER_LABELS[t]}
            </option>
          ))}
        </select>
        <DayRangeFields from={filters.from} to={filters.to} />
        <button class="primary" type="submit">筛选</button>
        <a class="button" href={listHref("/admin/members/export.csv", filters)} data-testid="export-members">导出 CSV</a>
      </form>
      {rows.length === 0 ? (
        <div class="card muted">没有找到会员</div>
      ) : (
        <table data-testid="members-table">
          <thead>
            <tr>
              <th>昵称</th>
              <th>等级</th>
              <th>推荐人（一级 ← 二级）</th>
              <th>手机号</th>
              <th>openid</th>
              <th>注册时间</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((m) => (
              <tr data-member-id={m.id}>
                <td>
                  <MemberLink id={m.id} nickname={m.nickname} /> <Roles roles={m.roles} />
                </td>
                <td>
                  <TierTag tier={m.tier} /> <Blocked at={m.blockedAt} />
                </td>
                <td>
                  <ReferrerChain row={m} />
                </td>
                <td>{m.phone ?? <span class="muted">—</span>}</td>
                <td class="mono">{m.openid}</td>
                <td class="mono">{formatTime(m.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/admin/members" filters={filters} nextCursor={nextCursor} />
    </Layout>
  );
}

type Detail = NonNullable<Awaited<ReturnType<typeof memberDetail>>>;

function Blocked({ at }: { at: Date | null }) {
  return at ? <span class="tag blocked" data-testid="member-blocked">已停用</span> : null;
}

/** Tier change and block/unblock; each posts to /admin/members/:id/… which calls the API's service. */
function StandingForms({ session, m }: { session: ConsoleSession; m: Detail["member"] }) {
  const base = `/admin/members/${encodeURIComponent(m.id)}`;
  return (
    <>
      <h2>账号管理</h2>
      <form class="card form" method="post" action={`${base}/tier`} data-testid="tier-form">
        <input type="hidden" name="_csrf" value={session.csrfToken} />
        <label class="field">
          <span>会员等级（修改后该会员的下一次请求即按新等级处理）</span>
          <select name="tier">
            {TIERS.map((t) => (
              <option value={t} selected={t === m.tier}>
                {TIER_LABELS[t]}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>原因（记入审计日志）</span>
          <input type="text" name="reason" required maxlength={200} />
        </label>
        <div><button type="submit">修改等级</button></div>
      </form>
      {m.blockedAt ? (
        <form class="card form" method="post" action={`${base}/unblock`} data-testid="unblock-form">
          <input type="hidden" name="_csrf" value={session.csrfToken} />
          <p>
            该账号已于 {formatTime(m.blockedAt)} 停用，原因：{m.blockedReason ?? "—"}
          </p>
          <label class="field">
            <span>恢复原因（可选，记入审计日志）</span>
            <input type="text" name="reason" maxlength={200} />
          </label>
          <div><button type="submit">恢复账号</button></div>
        </form>
      ) : (
        <form class="card form" method="post" action={`${base}/block`} data-testid="block-form">
          <input type="hidden" name="_csrf" value={session.csrfToken} />
          <label class="field">
            <span>停用原因（记入审计日志）。停用后该会员无法登录，也无法使用任何会员功能，可随时恢复。</span>
            <input type="text" name="reason" required maxlength={200} />
          </label>
          <label class="check"><input type="checkbox" name="confirm" value="yes" required /> 确认停用该账号</label>
          <div><button class="danger" type="submit">停用账号</button></div>
        </form>
      )}
    </>
  );
}

type CommissionPanel = { commissions: CommissionLine[]; tierChanges: TierChangeLine[] };

export function MemberDetailPage({ session, detail, commissions, activity, notice, error }: { session: ConsoleSession; detail: Detail; commissions?: CommissionPanel; activity?: MemberActivity; notice?: string; error?: string }) {
  const m = detail.member;
  return (
    <Layout title={m.nickname || m.id} admin={session.admin} csrfToken={session.csrfToken} active="members">
      <p>
        <a href="/admin/members">« 会员列表</a>
      </p>
      <h1>
        {m.nickname || "（未设置昵称）"} <TierTag tier={m.tier} /> <Roles roles={m.roles} /> <Blocked at={m.blockedAt} />
      </h1>
      <Messages notice={notice} error={error} />
      <div class="card">
        <dl class="fields">
          <dt>会员 ID</dt>
          <dd class="mono">{m.id}</dd>
          <dt>openid</dt>
          <dd class="mono">{m.openid}</dd>
          <dt>unionid</dt>
          <dd class="mono">{m.unionid ?? "—"}</dd>
          <dt>手机号</dt>
          <dd>{m.phone ?? "—"}</dd>
          <dt>邀请码</dt>
          <dd class="mono">{m.inviteCode}</dd>
          <dt>推荐关系</dt>
          <dd>
            <ReferrerChain row={m} />
            {m.boundAt ? <span class="muted">（绑定于 {formatTime(m.boundAt)}）</span> : null}
          </dd>
          <dt>团队</dt>
          <dd>
            一级 {detail.level1Count} 人 · 二级 {detail.level2Count} 人
          </dd>
          <dt>管理员账号</dt>
          <dd>{detail.linkedAdmins.length ? detail.linkedAdmins.map((a) => a.username).join("、") : "—"}</dd>
          <dt>注册时间</dt>
          <dd>{formatTime(m.createdAt)}</dd>
        </dl>
      </div>
      {activity ? (
        <>
          <h2>收益</h2>
          <MemberEarnings e={activity.earnings} />
          <h2 id="orders">订单</h2>
          <MemberOrders memberId={m.id} orders={activity.orders} />
          <h2>课程</h2>
          <MemberCourses courses={activity.courses} />
        </>
      ) : null}
      <StandingForms session={session} m={m} />
      <h2>直接邀请的会员</h2>
      {detail.invitees.length === 0 ? (
        <div class="card muted">暂无</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>昵称</th>
              <th>等级</th>
              <th>绑定时间</th>
            </tr>
          </thead>
          <tbody>
            {detail.invitees.map((i) => (
              <tr>
                <td>
                  <MemberLink id={i.id} nickname={i.nickname} />
                </td>
                <td>
                  <TierTag tier={i.tier} />
                </td>
                <td class="mono">{formatTime(i.boundAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>等级变更记录</h2>
      <TierHistoryTable rows={commissions?.tierChanges ?? []} />
      <h2>佣金记录（最近 50 条） <a class="button" href={`/admin/commissions/records?earner=${encodeURIComponent(m.id)}`}>全部佣金记录</a></h2>
      <CommissionsTable rows={commissions?.commissions ?? []} show="order" />
      <h2>与该会员有关的审计记录</h2>
      <AuditTable rows={detail.history} />
    </Layout>
  );
}
