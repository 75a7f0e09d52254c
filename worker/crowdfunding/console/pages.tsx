import { Messages } from "../../courses/console/pages";
import { beijingLocalInput } from "../../calendar/beijing";
import { Layout, TIER_LABELS, TierTag, formatTime } from "../../console/layout";
import { fenToYuan, formatFen } from "../../console/money";
import type { ConsoleSession } from "../../console/session";
import { TIERS } from "../../http/auth";
import type { capTable, roundForAdmin } from "../admin-queries";
import type { declarationView } from "../dividends";
import type { adminRoundView } from "../views";

type Round = ReturnType<typeof adminRoundView>;
type Detail = Awaited<ReturnType<typeof roundForAdmin>>;
type Declaration = ReturnType<typeof declarationView>;

export const ROUND_STATE_LABELS: Record<string, string> = { draft: "草稿", open: "认购中", succeeded: "已成功", failed: "未达目标" };
const SUBSCRIPTION_LABELS: Record<string, string> = { reserved: "已预留", paid: "已支付", expired: "已过期", refunded: "已退款" };
const REFUND_LABELS: Record<string, string> = { processing: "处理中", succeeded: "已退款", closed: "已关闭", abnormal: "异常" };

const time = (iso: string | null) => formatTime(iso ? new Date(iso) : null);
const Tag = ({ value, labels }: { value: string; labels: Record<string, string> }) => <span class={`tag ${value}`}>{labels[value] ?? value}</span>;

/** `datetime-local` values are Beijing time, the operators' clock. */
const toLocalInput = (iso: string) => beijingLocalInput(Date.parse(iso));

export type RoundFormValues = Record<string, string | string[]>;

export function roundFormValues(r?: Round): RoundFormValues {
  if (!r) return { eligibleTiers: ["channel_partner"], tierOnSuccess: "shareholder", minShares: "1" };
  return {
    title: r.title, description: r.description, riskDisclosure: r.riskDisclosure, price: fenToYuan(r.sharePriceFen), totalShares: String(r.totalShares),
    minShares: String(r.minShares), maxShares: String(r.maxShares), targetShares: String(r.targetShares), eligibleTiers: r.eligibleTiers,
    tierOnSuccess: r.tierOnSuccess, opensAt: toLocalInput(r.opensAt), closesAt: toLocalInput(r.closesAt),
  };
}

function RoundForm(p: { action: string; values: RoundFormValues; csrf: string; submit: string }) {
  const v = (k: string) => (typeof p.values[k] === "string" ? (p.values[k] as string) : "");
  const tiers = Array.isArray(p.values.eligibleTiers) ? p.values.eligibleTiers : [v("eligibleTiers")];
  const num = (name: string, label: string) => (
    <label class="field">{label}<input type="text" name={name} value={v(name)} inputmode="numeric" required /></label>
  );
  return (
    <form class="card form" method="post" action={p.action} data-testid="round-form">
      <input type="hidden" name="_csrf" value={p.csrf} />
      <label class="field">标题<input type="text" name="title" value={v("title")} maxlength={100} required /></label>
      <label class="field">介绍<textarea name="description" rows={3}>{v("description")}</textarea></label>
      <label class="field">风险揭示书（修改后认购人须重新确认新版本）<textarea name="riskDisclosure" rows={5} required>{v("riskDisclosure")}</textarea></label>
      <label class="field">每份价格（元）<input type="text" name="price" value={v("price")} required /></label>
      {num("totalShares", "总份数")}
      {num("minShares", "每人最少认购份数")}
      {num("maxShares", "每人最多认购份数")}
      {num("targetShares", "目标份数（达到即成功）")}
      <fieldset>
        <legend>可见并可认购的等级（非公开发行：其他人看不到本轮）</legend>
        {TIERS.map((t) => (
          <label class="check"><input type="checkbox" name="eligibleTiers" value={t} checked={tiers.includes(t)} />{TIER_LABELS[t]}</label>
        ))}
      </fieldset>
      <label class="field">成功后授予等级
        <select name="tierOnSuccess">{TIERS.map((t) => <option value={t} selected={v("tierOnSuccess") === t}>{TIER_LABELS[t]}</option>)}</select>
      </label>
      <label class="field">开始时间（北京时间）<input type="datetime-local" name="opensAt" value={v("opensAt")} required /></label>
      <label class="field">截止时间（北京时间）<input type="datetime-local" name="closesAt" value={v("closesAt")} required /></label>
      <div><button class="primary" type="submit">{p.submit}</button></div>
    </form>
  );
}

function Progress({ r }: { r: Round }) {
  return (
    <span>
      已售 <b>{r.soldShares}</b> · 预留 {r.reservedShares} · 剩余 {r.sharesLeft} / {r.totalShares} 份 · 目标 {r.targetShares}
    </span>
  );
}

export function RoundsPage(p: { session: ConsoleSession; rounds: Round[]; holders: { holders: number; cap: number | null }; values: RoundFormValues; error?: string; notice?: string }) {
  return (
    <Layout title="众筹" admin={p.session.admin} csrfToken={p.session.csrfToken} active="rounds">
      <h1>众筹轮次 <a class="button" href="/admin/cap-table">股东名册</a> <a class="button" href="/admin/dividends">分红</a></h1>
      <Messages notice={p.notice} error={p.error} />
      <p class="muted" data-testid="holder-count">股东人数（含认购中）：{p.holders.holders}{p.holders.cap === null ? "" : ` / 上限 ${p.holders.cap}`}</p>
      <table>
        <thead><tr><th>标题</th><th>状态</th><th class="num">每份</th><th>进度</th><th>截止</th></tr></thead>
        <tbody>
          {p.rounds.map((r) => (
            <tr>
              <td><a href={`/admin/rounds/${encodeURIComponent(r.id)}`}>{r.title}</a></td>
              <td><Tag value={r.state} labels={ROUND_STATE_LABELS} /></td>
              <td class="num">{formatFen(r.sharePriceFen)}</td>
              <td><Progress r={r} /></td>
              <td>{time(r.closesAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>新建众筹（草稿）</h2>
      <RoundForm action="/admin/rounds" values={p.values} csrf={p.session.csrfToken} submit="创建草稿" />
    </Layout>
  );
}

export function RoundPage(p: { session: ConsoleSession; detail: Detail; values?: RoundFormValues; error?: string; notice?: string }) {
  const { round: r, subscribers, history, refunds } = p.detail;
  const csrf = p.session.csrfToken;
  return (
    <Layout title={r.title} admin={p.session.admin} csrfToken={csrf} active="rounds">
      <p><a href="/admin/rounds">« 众筹轮次</a></p>
      <h1>{r.title} <Tag value={r.state} labels={ROUND_STATE_LABELS} /></h1>
      <Messages notice={p.notice} error={p.error} />
      <div class="card">
        <dl class="fields">
          <dt>每份价格</dt><dd>{formatFen(r.sharePriceFen)}</dd>
          <dt>进度</dt><dd data-testid="round-progress"><Progress r={r} /></dd>
          <dt>每人认购</dt><dd>{r.minShares}–{r.maxShares} 份</dd>
          <dt>可认购等级</dt><dd>{r.eligibleTiers.map((t) => <TierTag tier={t} />)}</dd>
          <dt>成功后授予</dt><dd><TierTag tier={r.tierOnSuccess} /></dd>
          <dt>认购期</dt><dd>{time(r.opensAt)} – {time(r.closesAt)}</dd>
          <dt>风险揭示书</dt><dd>第 {r.disclosureVersion} 版<pre>{r.riskDisclosure}</pre></dd>
        </dl>
      </div>
      <div class="card actions">
        {r.state === "draft" ? (
          <form class="inline" method="post" action={`/admin/rounds/${encodeURIComponent(r.id)}/open`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <button class="primary" type="submit">开放认购</button>
          </form>
        ) : null}
        {r.state === "open" ? (
          <form class="inline" method="post" action={`/admin/rounds/${encodeURIComponent(r.id)}/close`}>
            <input type="hidden" name="_csrf" value={csrf} />
            <label class="check"><input type="checkbox" name="confirm" value="yes" />确认提前结束（需已达目标）</label>
            <button type="submit" disabled={r.soldShares < r.targetShares}>提前结束</button>
          </form>
        ) : null}
      </div>
      {r.state === "draft" ? (
        <>
          <h2>修改草稿</h2>
          <RoundForm action={`/admin/rounds/${encodeURIComponent(r.id)}`} values={p.values ?? roundFormValues(r)} csrf={csrf} submit="保存" />
        </>
      ) : null}
      <h2>认购人（{subscribers.length}）</h2>
      <table data-testid="subscribers">
        <thead><tr><th>会员</th><th class="num">份数</th><th class="num">金额</th><th>状态</th><th>风险揭示确认</th><th>订单</th></tr></thead>
        <tbody>
          {subscribers.map((s) => (
            <tr>
              <td><a href={`/admin/members/${encodeURIComponent(s.memberId)}`}>{s.nickname || s.memberId}</a></td>
              <td class="num">{s.shares}</td>
              <td class="num">{formatFen(s.amountFen)}</td>
              <td><Tag value={s.status} labels={SUBSCRIPTION_LABELS} /></td>
              <td>第 {s.disclosureVersion} 版 · {time(s.disclosureAckedAt)}</td>
              <td>{s.orderId ? <a class="mono" href={`/admin/orders/${encodeURIComponent(s.orderId)}`}>{s.orderId}</a> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>退款（{refunds.length}）</h2>
      <table data-testid="round-refunds">
        <thead><tr><th>退款单号</th><th>会员</th><th class="num">金额</th><th>状态</th><th>原因</th><th>完成时间</th></tr></thead>
        <tbody>
          {refunds.map((f) => (
            <tr>
              <td class="mono"><a href={`/admin/orders/${encodeURIComponent(f.orderId)}`}>{f.id}</a></td>
              <td>{f.memberId}</td>
              <td class="num">{formatFen(f.amountFen)}</td>
              <td><Tag value={f.status} labels={REFUND_LABELS} /></td>
              <td>{f.reason}</td>
              <td>{time(f.settledAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>状态记录</h2>
      <table>
        <thead><tr><th>时间</th><th>变化</th><th>操作人</th><th>说明</th></tr></thead>
        <tbody>
          {history.map((h) => (
            <tr><td>{time(h.at)}</td><td>{h.from ? ROUND_STATE_LABELS[h.from] : "—"} → {ROUND_STATE_LABELS[h.to]}</td><td class="mono">{h.actorId}</td><td>{h.reason}</td></tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function CapTablePage(p: { session: ConsoleSession; table: Awaited<ReturnType<typeof capTable>> }) {
  return (
    <Layout title="股东名册" admin={p.session.admin} csrfToken={p.session.csrfToken} active="rounds">
      <p><a href="/admin/rounds">« 众筹轮次</a></p>
      <h1>股东名册 <a class="button" href="/admin/cap-table.csv" data-testid="cap-table-csv">导出 CSV</a></h1>
      <p class="muted">已发行 {p.table.issuedShares} 份 · 股东 {p.table.holders.length} 人</p>
      <table data-testid="cap-table">
        <thead><tr><th>股东</th><th class="num">份数</th><th class="num">占比</th><th>明细</th></tr></thead>
        <tbody>
          {p.table.holders.map((h) => (
            <tr>
              <td><a href={`/admin/members/${encodeURIComponent(h.memberId)}`}>{h.nickname || h.memberId}</a></td>
              <td class="num">{h.shares}</td>
              <td class="num">{(h.percentBps / 100).toFixed(2)}%</td>
              <td>{h.holdings.map((x) => `${x.roundTitle} ${x.shares} 份`).join("；")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}

export function DividendsPage(p: { session: ConsoleSession; poolFen: number; revenueFen: number; declarations: Declaration[]; error?: string; notice?: string; values?: Record<string, string> }) {
  const csrf = p.session.csrfToken;
  const v = (k: string) => p.values?.[k] ?? "";
  return (
    <Layout title="分红" admin={p.session.admin} csrfToken={csrf} active="rounds">
      <p><a href="/admin/rounds">« 众筹轮次</a></p>
      <h1>分红</h1>
      <Messages notice={p.notice} error={p.error} />
      <div class="stats">
        <div class="stat"><b data-testid="dividend-pool">{formatFen(p.poolFen)}</b><span>分红池余额</span></div>
        <div class="stat"><b>{formatFen(p.revenueFen)}</b><span>已确认课程收入</span></div>
      </div>
      <h2>划拨利润到分红池</h2>
      <form class="card form" method="post" action="/admin/dividends/allocate">
        <input type="hidden" name="_csrf" value={csrf} />
        <label class="field">金额（元）<input type="text" name="amount" value={v("amount")} required /></label>
        <label class="field">说明<input type="text" name="reason" value={v("reason")} maxlength={200} required /></label>
        <div><button class="primary" type="submit">划拨</button></div>
      </form>
      <h2>宣告分红</h2>
      <form class="card form" method="post" action="/admin/dividends/declare">
        <input type="hidden" name="_csrf" value={csrf} />
        <label class="field">期间（如 2026-Q4）<input type="text" name="period" value={v("period")} maxlength={32} required /></label>
        <label class="field">金额（元，按持股份数以最大余额法分配）<input type="text" name="declareAmount" value={v("declareAmount")} required /></label>
        <label class="field">仅限某轮股东（留空为全部股东）<input type="text" name="roundId" value={v("roundId")} /></label>
        <label class="check"><input type="checkbox" name="confirm" value="yes" />确认宣告并发放到各股东的待提现分红</label>
        <div><button class="primary" type="submit">宣告分红</button></div>
      </form>
      <h2>分红记录</h2>
      <table data-testid="declarations">
        <thead><tr><th>期间</th><th>范围</th><th class="num">金额</th><th class="num">股东</th><th class="num">总份数</th><th>状态</th><th>宣告时间</th></tr></thead>
        <tbody>
          {p.declarations.map((d) => (
            <tr>
              <td>{d.period}</td><td>{d.roundId ?? "全部股东"}</td><td class="num">{formatFen(d.amountFen)}</td><td class="num">{d.holderCount}</td>
              <td class="num">{d.totalShares}</td><td>{d.status === "paid" ? "已发放" : "发放中"}</td><td>{time(d.createdAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Layout>
  );
}
