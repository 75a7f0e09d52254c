import { Layout, formatTime } from "../../console/layout";
import { ACTION_LABELS, ACTOR_LABELS, actionLabel, targetLabel, readableFields } from "../labels";
import type { AuditRow } from "../queries";
import type { AuditFilterForm } from "./routes";
import type { ConsoleSession } from "../../console/session";
import { Pager } from "../../console/list-filters";

/** Targets the console has a page for. */
const TARGET_PAGES: Record<string, string> = { member: "/admin/members/", course: "/admin/courses/", lesson: "/admin/lessons/", order: "/admin/orders/" };

/** A before/after view: each field by its Chinese name, money in ¥, times in Beijing time. */
function Fields({ value }: { value: unknown }) {
  const fields = readableFields(value);
  if (fields.length === 0) return <span class="muted">—</span>;
  return (
    <dl class="audit-fields">
      {fields.map((f) => (
        <>
          <dt title={f.key}>{f.label}</dt>
          <dd data-field={f.key}>{f.text}</dd>
        </>
      ))}
    </dl>
  );
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
              <span class="tag">{ACTOR_LABELS[row.actorKind] ?? row.actorKind}</span> {row.actorName ?? <span class="mono">{row.actorId}</span>}
            </td>
            <td>
              {actionLabel(row.action)}
              <div class="muted mono">{row.action}</div>
            </td>
            <td>
              <span class="muted" title={row.targetType}>{targetLabel(row.targetType)}</span> {targetLink(row)}
            </td>
            <td>
              <Fields value={row.before} />
            </td>
            <td>
              <Fields value={row.after} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function AuditPage({ session, rows, nextCursor, filter }: { session: ConsoleSession; rows: AuditRow[]; nextCursor: string | null; filter: AuditFilterForm }) {
  const known = Object.keys(ACTION_LABELS);
  const filtered = Boolean(filter.action || filter.from || filter.to);
  return (
    <Layout title="审计日志" admin={session.admin} csrfToken={session.csrfToken} active="audit">
      <h1>审计日志</h1>
      <p class="muted">所有管理操作的只增记录（谁、做了什么、何时、变更前后），最新的在前；时间均为北京时间。</p>
      <form class="filters card" method="get" action="/admin/audit" data-testid="audit-filters">
        <label class="field">
          操作
          <select name="action">
            <option value="">全部操作</option>
            {known.map((a) => (
              <option value={a} selected={a === filter.action}>
                {ACTION_LABELS[a]}
              </option>
            ))}
            {filter.action && !known.includes(filter.action) ? (
              <option value={filter.action} selected>
                {filter.action}
              </option>
            ) : null}
          </select>
        </label>
        <label class="field">
          从（北京时间）
          <input type="date" name="from" value={filter.from ?? ""} />
        </label>
        <label class="field">
          到（含当天）
          <input type="date" name="to" value={filter.to ?? ""} />
        </label>
        <div class="filter-buttons">
          <button class="primary" type="submit">
            筛选
          </button>
          {filtered ? (
            <a class="button" href="/admin/audit">
              清除
            </a>
          ) : null}
        </div>
      </form>
      <AuditTable rows={rows} />
      <Pager path="/admin/audit" filters={{ action: filter.action, from: filter.from, to: filter.to }} nextCursor={nextCursor} first="« 最新" />
    </Layout>
  );
}
