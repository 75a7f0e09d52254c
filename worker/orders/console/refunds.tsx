import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { badQueryPage, blankToUndefined, dayWindow, Pager, withDayRange } from "../../console/list-filters";
import { Layout, formatTime } from "../../console/layout";
import { formatFen } from "../../console/money";
import type { ConsoleSession } from "../../console/session";
import { REFUND_STATUSES } from "../views";
import { REFUND_STATUS_LABELS } from "./pages";
import { decodeRefundCursor, listRefundsForAdmin, type RefundListRow } from "./refund-list";

/** 退款: every refund, filterable by status and by the Beijing days they were settled (the dashboard links here). */
export const refundConsole = new Hono<ConsoleEnv>();

const RefundListQuery = withDayRange({
  status: z.preprocess(blankToUndefined, z.enum(REFUND_STATUSES).optional()),
  cursor: z.preprocess(blankToUndefined, z.string().max(512).refine((t) => decodeRefundCursor(t) !== null, "不是本列表的翻页参数").optional()),
});

refundConsole.get("/refunds", async (c) => {
  const parsed = RefundListQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const q = parsed.data;
  const page = await listRefundsForAdmin(c.env.DB, { status: q.status, ...dayWindow(q), cursor: q.cursor });
  return c.html(<RefundsPage session={c.var.session} page={page} filter={{ status: q.status ?? "", from: q.from ?? "", to: q.to ?? "" }} />);
});

const at = (ms: number | null) => formatTime(ms === null ? null : new Date(ms));

type Filter = { status: string; from: string; to: string };

function RefundsPage(p: { session: ConsoleSession; page: Awaited<ReturnType<typeof listRefundsForAdmin>>; filter: Filter }) {
  const rows: RefundListRow[] = p.page.items;
  return (
    <Layout title="退款" admin={p.session.admin} csrfToken={p.session.csrfToken} active="orders">
      <h1>退款</h1>
      <form class="search" method="get" action="/admin/refunds">
        <select name="status" aria-label="状态">
          <option value="" selected={p.filter.status === ""}>全部状态</option>
          {REFUND_STATUSES.map((s) => <option value={s} selected={s === p.filter.status}>{REFUND_STATUS_LABELS[s]}</option>)}
        </select>
        <label>退款完成 从 <input type="date" name="from" value={p.filter.from} /></label>
        <label>到 <input type="date" name="to" value={p.filter.to} /></label>
        <button class="primary" type="submit">筛选</button>
      </form>
      {p.page.total ? (
        <p class="card" data-testid="list-total">
          {p.filter.from || "最早"} 至 {p.filter.to || "今天"}（北京时间，按退款完成日期）：共 <b data-testid="list-count">{p.page.total.count}</b> 笔，合计 <b data-testid="list-amount">{formatFen(p.page.total.fen)}</b>
        </p>
      ) : null}
      {rows.length === 0 ? (
        <div class="card muted">没有符合条件的退款</div>
      ) : (
        <table data-testid="refunds-list">
          <thead>
            <tr><th>退款单号</th><th>订单</th><th>会员</th><th class="num">金额</th><th>原因</th><th>状态</th><th>申请时间（北京）</th><th>完成时间（北京）</th></tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr data-refund-id={r.id}>
                <td class="mono">{r.id}</td>
                <td class="mono"><a href={`/admin/orders/${encodeURIComponent(r.order_id)}`}>{r.order_id}</a><div class="muted">{r.order_description}</div></td>
                <td>{r.member_id ? <a href={`/admin/members/${encodeURIComponent(r.member_id)}`}>{r.member_nickname || r.member_id}</a> : <span class="muted">—</span>}</td>
                <td class="num">{formatFen(r.amount_fen)}</td>
                <td>{r.reason}</td>
                <td><span class={`tag ${r.status}`}>{REFUND_STATUS_LABELS[r.status] ?? r.status}</span></td>
                <td class="mono">{at(r.created_at)}</td>
                <td class="mono">{at(r.settled_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/admin/refunds" filters={p.filter} nextCursor={p.page.nextCursor} />
    </Layout>
  );
}
