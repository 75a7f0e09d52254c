import { Layout, formatTime } from "../../console/layout";
import type { AuditRow } from "../queries";
import type { ConsoleSession } from "../../console/session";

const ACTION_LABELS: Record<string, string> = {
  "admin.login": "登录",
  "admin.login_failed": "登录失败",
  "admin.logout": "退出登录",
  "admin.locked_out": "账户锁定",
  "course.create": "创建课程",
  "course.update": "修改课程",
  "course.publish": "发布课程",
  "course.unpublish": "下架课程",
  "course.reorder": "调整课程目录顺序",
  "chapter.create": "添加章节",
  "chapter.update": "修改章节",
  "lesson.create": "添加课时",
  "lesson.update": "修改课时",
  "lesson.media.upload": "上传课时媒体",
  "order.refund_requested": "申请退款",
};

/** Targets the console has a page for. */
const TARGET_PAGES: Record<string, string> = { member: "/admin/members/", course: "/admin/courses/", lesson: "/admin/lessons/", order: "/admin/orders/" };

const KIND_LABELS: Record<string, string> = { admin: "管理员", member: "会员", system: "系统" };

function Json({ value }: { value: unknown }) {
  if (value === null || value === undefined) return <span class="muted">—</span>;
  return <pre>{JSON.stringify(value, null, 2)}</pre>;
}

function targetLink(row: AuditRow) {
  const page = TARGET_PAGES[row.targetType];
  if (page) return <a class="mono" href={`${page}${encodeURIComponent(row.targetId)}`}>{row.targetId}</a>;
  if (row.targetName) return <span title={row.targetId}>{row.targetName}</span>;
  return <span class="mono">{row.targetId}</span>;
}

export function AuditTable({ rows }: { rows: AuditRow[] }) {
  if (rows.length === 0) return <div class="card muted">暂无记录</div>;
  return (
    <table data-testid="audit-table">
      <thead>
        <tr>
          <th>时间（北京）</th>
          <th>操作人</th>
          <th>操作</th>
          <th>对象</th>
          <th>变更前</th>
          <th>变更后</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr data-action={row.action}>
            <td class="mono">{formatTime(row.createdAt)}</td>
            <td>
              <span class="tag">{KIND_LABELS[row.actorKind] ?? row.actorKind}</span> {row.actorName ?? <span class="mono">{row.actorId}</span>}
            </td>
            <td>
              {ACTION_LABELS[row.action] ?? row.action}
              <div class="muted mono">{row.action}</div>
            </td>
            <td>
              <span class="muted">{row.targetType}</span> {targetLink(row)}
            </td>
            <td>
              <Json value={row.before} />
            </td>
            <td>
              <Json value={row.after} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AuditPage({ session, rows, nextCursor, action }: { session: ConsoleSession; rows: AuditRow[]; nextCursor: string | null; action: string }) {
  const qs = (cursor?: string) => {
    const p = new URLSearchParams();
    if (action) p.set("action", action);
    if (cursor) p.set("cursor", cursor);
    const s = p.toString();
    return s ? `?${s}` : "";
  };
  return (
    <Layout title="审计日志" admin={session.admin} csrfToken={session.csrfToken} active="audit">
      <h1>审计日志</h1>
      <p class="muted">所有管理操作的只增记录（谁、做了什么、何时、变更前后），最新的在前。</p>
      <form class="search" method="get" action="/admin/audit">
        <input type="search" name="action" value={action} placeholder="按操作筛选，如 admin.login" />
        <button class="primary" type="submit">筛选</button>
      </form>
      <AuditTable rows={rows} />
      <div class="pager">
        <a href={`/admin/audit${qs()}`}>« 最新</a>
        {nextCursor ? <a href={`/admin/audit${qs(nextCursor)}`} rel="next">下一页 »</a> : null}
      </div>
    </Layout>
  );
}
