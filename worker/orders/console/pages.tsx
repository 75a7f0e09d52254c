import type { AdminOrderRow, orderDetailForAdmin } from "../admin-queries";
import { CommissionsTable, type CommissionLine } from "../../commissions/console/sections";
import { ORDER_STATUSES } from "../views";
import { Messages } from "../../courses/console/pages";
import { Layout, formatTime } from "../../console/layout";
import { fenToYuan, formatFen } from "../../console/money";
import type { ConsoleSession } from "../../console/session";
import { DayRangeFields, listHref, Pager } from "../../console/list-filters";

export const ORDER_STATUS_LABELS: Record<string, string> = { pending: "待支付", paid: "已支付", refunding: "退款中", refunded: "已退款", closed: "已关闭" };
export const REFUND_STATUS_LABELS: Record<string, string> = { processing: "处理中", succeeded: "已退款", closed: "已关闭", abnormal: "退款异常" };

const at = (ms: number | null) => formatTime(ms === null ? null : new Date(ms));

function Member({ o }: { o: AdminOrderRow }) {
  return <a href={`/admin/members/${encodeURIComponent(o.member_id)}`}>{o.member_nickname || o.member_openid || o.member_id}</a>;
}

function Status({ status, labels }: { status: string; labels: Record<string, string> }) {
  return <span class={`tag ${status}`}>{labels[status] ?? status}</span>;
}

export type OrderListFilters = { status?: string; q: string; from?: string; to?: string };

export function OrdersPage(p: { session: ConsoleSession; rows: AdminOrderRow[]; nextCursor: string | null; filters: OrderListFilters }) {
  const f = p.filters;
  return (
    <Layout title="订单" admin={p.session.admin} csrfToken={p.session.csrfToken} active="orders">
      <h1>订单</h1>
      <form class="search" method="get" action="/admin/orders" data-testid="orders-filter">
        <select name="status" aria-label="状态">
          <option value="">全部状态</option>
          {ORDER_STATUSES.map((s) => <option value={s} selected={s === f.status}>{ORDER_STATUS_LABELS[s]}</option>)}
        </select>
        <input type="search" name="q" value={f.q} placeholder="订单号，或会员 ID、openid、手机号" maxlength={64} />
        <DayRangeFields from={f.from} to={f.to} />
        <button class="primary" type="submit">筛选</button>
        <a class="button" href={listHref("/admin/orders/export.csv", f)} data-testid="export-orders">导出 CSV</a>
      </form>
      {p.rows.length === 0 ? (
        <div class="card muted">没有符合条件的订单</div>
      ) : (
        <table data-testid="orders-table">
          <thead>
            <tr><th>订单号</th><th>会员</th><th>课程</th><th class="num">金额</th><th class="num">已退款</th><th>状态</th><th>下单时间（北京）</th><th>支付时间</th></tr>
          </thead>
          <tbody>
            {p.rows.map((o) => (
              <tr data-order-id={o.id}>
                <td class="mono"><a href={`/admin/orders/${encodeURIComponent(o.id)}`}>{o.id}</a></td>
                <td><Member o={o} /></td>
                <td>{o.description}</td>
                <td class="num">{formatFen(o.amount_fen)}</td>
                <td class="num">{o.refunded_fen ? formatFen(o.refunded_fen) : <span class="muted">—</span>}</td>
                <td><Status status={o.status} labels={ORDER_STATUS_LABELS} /></td>
                <td class="mono">{at(o.created_at)}</td>
                <td class="mono">{at(o.paid_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/admin/orders" filters={f} nextCursor={p.nextCursor} />
    </Layout>
  );
}

type Detail = NonNullable<Awaited<ReturnType<typeof orderDetailForAdmin>>>;
export type RefundFormValues = { amount: string; reason: string };

export function OrderDetailPage(p: { session: ConsoleSession; detail: Detail; commissions?: CommissionLine[]; values?: RefundFormValues; notice?: string; error?: string }) {
  const { order: o, refunds, settlements } = p.detail;
  const refundable = o.amount_fen - o.refunded_fen - o.refund_pending_fen;
  const canRefund = (o.status === "paid" || o.status === "refunding") && refundable > 0;
  return (
    <Layout title={`订单 ${o.id}`} admin={p.session.admin} csrfToken={p.session.csrfToken} active="orders">
      <p><a href="/admin/orders">« 订单列表</a></p>
      <h1>订单 <span class="mono">{o.id}</span> <Status status={o.status} labels={ORDER_STATUS_LABELS} /></h1>
      <Messages notice={p.notice} error={p.error} />
      <div class="card">
        <dl class="fields">
          <dt>会员</dt><dd><Member o={o} /></dd>
          <dt>{o.kind === "course" ? "课程" : "商品"}</dt><dd>{o.description} <span class="muted mono">{o.kind === "course" ? o.subject_id : `${o.kind} · ${o.subject_id}`}</span></dd>
          <dt>金额</dt><dd data-testid="order-amount">{formatFen(o.amount_fen)}</dd>
          <dt>已退款</dt><dd data-testid="order-refunded">{formatFen(o.refunded_fen)}</dd>
          <dt>退款处理中</dt><dd>{formatFen(o.refund_pending_fen)}</dd>
          <dt>还可退</dt><dd data-testid="order-refundable">{formatFen(refundable)}</dd>
          <dt>下单时间</dt><dd>{at(o.created_at)}</dd>
          <dt>支付截止</dt><dd>{at(o.expires_at)}</dd>
          <dt>关闭时间</dt><dd>{at(o.closed_at)}</dd>
        </dl>
      </div>
      <h2>支付</h2>
      <div class="card">
        <dl class="fields">
          <dt>微信支付单号</dt><dd class="mono">{o.transaction_id ?? "—"}</dd>
          <dt>支付时间</dt><dd>{at(o.paid_at)}</dd>
          <dt>结算记录</dt>
          <dd>{settlements.length ? settlements.map((s) => <div class="mono">{`${s.id} · ${s.wechat_id || "—"} · ${at(s.created_at)}`}</div>) : "—"}</dd>
        </dl>
      </div>
      <h2>佣金</h2>
      <CommissionsTable rows={p.commissions ?? []} show="earner" />
      <h2>退款</h2>
      {refunds.length === 0 ? (
        <div class="card muted">没有退款</div>
      ) : (
        <table data-testid="refunds-table">
          <thead><tr><th>退款单号</th><th class="num">金额</th><th>原因</th><th>状态</th><th>申请人</th><th>申请时间</th><th>完成时间</th><th>操作</th></tr></thead>
          <tbody>
            {refunds.map((r) => (
              <tr data-refund-id={r.id}>
                <td class="mono">{r.id}</td>
                <td class="num">{formatFen(r.amount_fen)}</td>
                <td>{r.reason}</td>
                <td><Status status={r.status} labels={REFUND_STATUS_LABELS} /></td>
                <td>{r.requested_by_name ?? (r.requested_by === "system" ? "系统" : <span class="mono">{r.requested_by}</span>)}</td>
                <td class="mono">{at(r.created_at)}</td>
                <td class="mono">{at(r.settled_at)}</td>
                <td>
                  {r.status === "abnormal" ? (
                    // WeChat holds the money until told where it goes: here, the merchant's settlement account.
                    <form method="post" action={`/admin/orders/${encodeURIComponent(o.id)}/refunds/${encodeURIComponent(r.id)}/apply-abnormal`} data-testid="apply-abnormal-form">
                      <input type="hidden" name="_csrf" value={p.session.csrfToken} />
                      <button type="submit">退至商户银行账户</button>
                    </form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canRefund ? (
        <form class="card form" method="post" action={`/admin/orders/${encodeURIComponent(o.id)}/refund`} data-testid="refund-form">
          <input type="hidden" name="_csrf" value={p.session.csrfToken} />
          <label class="field">
            <span>退款金额（元，最多两位小数；留空则退还全部剩余 {formatFen(refundable)}）</span>
            <input type="text" name="amount" value={p.values?.amount ?? ""} inputmode="decimal" placeholder={fenToYuan(refundable)} />
          </label>
          <label class="field">
            <span>退款原因（会显示在会员的微信退款通知中）</span>
            <input type="text" name="reason" value={p.values?.reason ?? ""} required maxlength={80} />
          </label>
          <label class="check"><input type="checkbox" name="confirm" value="yes" required /> 我已核对金额，确认通过微信支付退款</label>
          <div><button class="danger" type="submit">提交退款</button></div>
        </form>
      ) : null}
    </Layout>
  );
}
