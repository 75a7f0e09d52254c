import { Messages } from "../../courses/console/pages";
import { Layout, TierTag, formatTime } from "../../console/layout";
import { formatFen } from "../../console/money";
import type { ConsoleSession } from "../../console/session";
import { STATUS_TEXT, WITHDRAWAL_STATUSES, type WithdrawalRow } from "../views";
import type { PayoutDetail, QueueRow } from "./queries";
import { Pager } from "../../console/list-filters";

const at = (ms: number | null) => formatTime(ms === null ? null : new Date(ms));

function Status({ status }: { status: string }) {
  return <span class={`tag ${status}`}>{STATUS_TEXT[status as WithdrawalRow["status"]] ?? status}</span>;
}

function Member({ w }: { w: QueueRow }) {
  return <a href={`/admin/members/${encodeURIComponent(w.member_id)}`}>{w.nickname || w.openid || w.member_id}</a>;
}

const approvals = (w: WithdrawalRow) => `${(w.first_approver_person ? 1 : 0) + (w.approver_person ? 1 : 0)}/${w.requires_second_approval ? 2 : 1}`;

export function PayoutsPage(p: {
  session: ConsoleSession; rows: QueueRow[]; nextCursor: string | null; status: string; from?: string; to?: string;
  total?: { count: number; fen: number } | null; notice?: string;
}) {
  return (
    <Layout title="提现审核" admin={p.session.admin} csrfToken={p.session.csrfToken} active="payouts">
      <h1>提现审核</h1>
      <Messages notice={p.notice} />
      <form class="search" method="get" action="/admin/payouts">
        <select name="status" aria-label="状态">
          <option value="all" selected={p.status === "all"}>全部状态</option>
          {WITHDRAWAL_STATUSES.map((s) => <option value={s} selected={s === p.status}>{STATUS_TEXT[s]}</option>)}
        </select>
        <label>完成日期 从 <input type="date" name="from" value={p.from ?? ""} /></label>
        <label>到 <input type="date" name="to" value={p.to ?? ""} /></label>
        <button class="primary" type="submit">筛选</button>
      </form>
      {p.total ? (
        <p class="card" data-testid="list-total">
          {p.from || "最早"} 至 {p.to || "今天"}（北京时间，按完成日期）：共 <b data-testid="list-count">{p.total.count}</b> 笔，到账合计 <b data-testid="list-amount">{formatFen(p.total.fen)}</b>
        </p>
      ) : null}
      <form class="search" method="get" action="/admin/payouts/export.csv" data-testid="export-form">
        <label>从 <input type="date" name="from" required /></label>
        <label>到 <input type="date" name="to" required /></label>
        <button type="submit">导出 CSV（北京时间，含首尾两天）</button>
      </form>
      {p.rows.length === 0 ? (
        <div class="card muted">没有符合条件的提现</div>
      ) : (
        <table data-testid="payouts-table">
          <thead>
            <tr><th>提现单号</th><th>会员</th><th class="num">申请金额</th><th class="num">手续费</th><th class="num">到账</th><th>审批</th><th>状态</th><th>申请时间（北京）</th></tr>
          </thead>
          <tbody>
            {p.rows.map((w) => (
              <tr data-withdrawal-id={w.id}>
                <td class="mono"><a href={`/admin/payouts/${encodeURIComponent(w.id)}`}>{w.id}</a></td>
                <td><Member w={w} /> {w.tier ? <TierTag tier={w.tier} /> : null}</td>
                <td class="num">{formatFen(w.amount_fen)}</td>
                <td class="num">{formatFen(w.fee_fen)}</td>
                <td class="num">{formatFen(w.net_fen)}</td>
                <td>{approvals(w)}</td>
                <td><Status status={w.status} /></td>
                <td class="mono">{at(w.created_at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/admin/payouts" filters={{ status: p.status, from: p.from, to: p.to }} nextCursor={p.nextCursor} />
    </Layout>
  );
}

const KIND_TEXT: Record<string, string> = { pending: "预留", post_pending: "入账", void_pending: "撤销预留", posted: "入账" };

export function PayoutDetailPage(p: { session: ConsoleSession; detail: PayoutDetail; notice?: string; error?: string; reason?: string }) {
  const { withdrawal: w, earnings: e, history, transfers, audit, hints } = p.detail;
  const own = w.member_id === (p.session.admin.memberId ?? p.session.admin.id);
  const decidable = w.status === "pending" && !own;
  return (
    <Layout title={`提现 ${w.id}`} admin={p.session.admin} csrfToken={p.session.csrfToken} active="payouts">
      <p><a href="/admin/payouts">« 提现审核</a></p>
      <h1>提现 <span class="mono">{w.id}</span> <Status status={w.status} /></h1>
      <Messages notice={p.notice} error={p.error} />
      {hints.length ? (
        <div class="card" data-testid="hints">
          {hints.map((h) => <div class={h.level === "warn" ? "error" : "notice"}>{h.text}</div>)}
        </div>
      ) : null}
      <div class="card">
        <dl class="fields">
          <dt>会员</dt><dd><Member w={w} /> {w.tier ? <TierTag tier={w.tier} /> : null}</dd>
          <dt>申请金额</dt><dd data-testid="amount">{formatFen(w.amount_fen)}</dd>
          <dt>资金来源</dt><dd data-testid="sources">佣金 {formatFen(w.amount_fen - w.dividends_fen)} · 分红 {formatFen(w.dividends_fen)}</dd>
          <dt>手续费</dt><dd>{formatFen(w.fee_fen)}</dd>
          <dt>到账金额</dt><dd data-testid="net">{formatFen(w.net_fen)}</dd>
          <dt>审批</dt><dd data-testid="approvals">{approvals(w)}{w.requires_second_approval ? "（需两位管理员）" : ""}</dd>
          <dt>原因</dt><dd>{w.status_reason ?? "—"}</dd>
          <dt>微信转账单</dt><dd class="mono">{w.transfer_bill_no ?? "—"} {w.wechat_state ? `· ${w.wechat_state}` : ""}</dd>
          <dt>申请时间</dt><dd>{at(w.created_at)}</dd>
          <dt>通过时间</dt><dd>{at(w.approved_at)}</dd>
          <dt>完成时间</dt><dd>{at(w.finished_at)}</dd>
        </dl>
      </div>
      <h2>会员收益</h2>
      <div class="stats" data-testid="earnings">
        <div class="stat"><b>{formatFen(e.availableFen)}</b><span>可提现佣金</span></div>
        <div class="stat"><b>{formatFen(e.dividendsFen)}</b><span>可提现分红</span></div>
        <div class="stat"><b>{formatFen(e.frozenFen)}</b><span>冻结中</span></div>
        <div class="stat"><b>{formatFen(e.inFlightFen)}</b><span>提现处理中</span></div>
        <div class="stat"><b>{formatFen(e.paidOutFen)}</b><span>累计已到账</span></div>
      </div>
      {decidable ? (
        <div class="card">
          <form class="form" method="post" action={`/admin/payouts/${encodeURIComponent(w.id)}/approve`} data-testid="approve-form">
            <input type="hidden" name="_csrf" value={p.session.csrfToken} />
            <label class="check"><input type="checkbox" name="confirm" value="yes" required /> 我已核对会员与金额，确认通过（最终通过后将通过微信商家转账付款）</label>
            <div><button class="primary" type="submit">通过</button></div>
          </form>
          <form class="form" method="post" action={`/admin/payouts/${encodeURIComponent(w.id)}/reject`} data-testid="reject-form">
            <input type="hidden" name="_csrf" value={p.session.csrfToken} />
            <label class="field"><span>驳回原因（会员可见）</span><input type="text" name="reason" value={p.reason ?? ""} required maxlength={80} /></label>
            <div><button class="danger" type="submit">驳回</button></div>
          </form>
        </div>
      ) : null}
      <h2>账务流水</h2>
      <table data-testid="transfers-table">
        <thead><tr><th>流水号</th><th>借方</th><th>贷方</th><th class="num">金额</th><th>类型</th><th>时间</th></tr></thead>
        <tbody>
          {transfers.map((t) => (
            <tr>
              <td class="mono">{t.id}</td><td class="mono">{t.debitAccountId}</td><td class="mono">{t.creditAccountId}</td>
              <td class="num">{formatFen(t.amountFen)}</td><td>{KIND_TEXT[t.kind] ?? t.kind}</td><td class="mono">{formatTime(new Date(t.createdAt))}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>操作记录</h2>
      <table data-testid="payout-audit">
        <thead><tr><th>时间</th><th>操作人</th><th>操作</th><th>内容</th></tr></thead>
        <tbody>
          {audit.map((a) => <tr><td class="mono">{at(a.created_at)}</td><td class="mono">{a.actor_id}</td><td>{a.action}</td><td class="mono">{a.after ?? ""}</td></tr>)}
        </tbody>
      </table>
      <h2>最近提现</h2>
      <table data-testid="history">
        <thead><tr><th>提现单号</th><th class="num">金额</th><th>状态</th><th>申请时间</th></tr></thead>
        <tbody>
          {history.map((h) => (
            <tr><td class="mono"><a href={`/admin/payouts/${encodeURIComponent(h.id)}`}>{h.id}</a></td><td class="num">{formatFen(h.amount_fen)}</td><td><Status status={h.status} /></td><td class="mono">{at(h.created_at)}</td></tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
