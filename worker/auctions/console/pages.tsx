import { Layout, formatTime } from "../../console/layout";
import { formatFen } from "../../console/money";
import type { ConsoleSession } from "../../console/session";
import type { adminLotDetail, adminLotView } from "../admin";
import type { listSales, listUnsold, SaleView } from "../sales";

type AdminLot = ReturnType<typeof adminLotView>;
type Session = { session: ConsoleSession };
export type LotFormValues = Record<
  "title" | "instructor" | "description" | "startPrice" | "reservePrice" | "deposit" | "ladder" | "startsAt" | "endsAt" | "windowSec" | "extendSec" | "maxExtensions" | "paymentDeadlineHours",
  string
> & { commissionable: boolean };
export type FieldErrors = Record<string, string>;

const STATE_LABELS: Record<string, string> = { upcoming: "未开始", live: "竞拍中", ended: "已结束" };
const STATUS_LABELS: Record<string, string> = { open: "进行中", sold: "已成交", unsold: "流拍" };
const SALE_LABELS: Record<string, string> = { awaiting_payment: "待付款", paid: "已付款", unpaid: "逾期未付", shipped: "已发货" };
const fen = (v: number | null) => (v === null ? <span class="muted">—</span> : formatFen(v));
const when = (iso: string | null) => formatTime(iso ? new Date(iso) : null);

export const LOT_TABS = [
  { href: "/admin/lots", label: "拍品", key: "lots" },
  { href: "/admin/lots/new", label: "新建拍品", key: "new" },
  { href: "/admin/lots/sales/results", label: "成交结果", key: "results" },
  { href: "/admin/lots/sales/unpaid", label: "未付款买家", key: "unpaid" },
  { href: "/admin/lots/sales/shipments", label: "发货", key: "shipments" },
] as const;

function Tabs({ on }: { on: string }) {
  return (
    <p class="tabs">
      {LOT_TABS.map((t) => (t.key === on ? <strong>{t.label}</strong> : <a href={t.href}>{t.label}</a>))}
    </p>
  );
}

function Messages(p: { notice?: string; error?: string }) {
  return (
    <>
      {p.notice ? <div class="card notice" role="status">{p.notice}</div> : null}
      {p.error ? <div class="card error" role="alert">{p.error}</div> : null}
    </>
  );
}

export function LotsPage(p: Session & { rows: AdminLot[]; nextCursor: string | null }) {
  return (
    <Layout title="拍品" admin={p.session.admin} csrfToken={p.session.csrfToken} active="lots">
      <h1>拍品</h1>
      <Tabs on="lots" />
      {p.rows.length === 0 ? (
        <div class="card muted">还没有拍品</div>
      ) : (
        <table data-testid="lots-table">
          <thead><tr><th>拍品</th><th>状态</th><th class="num">起拍价</th><th class="num">当前价</th><th class="num">出价次数</th><th>开始（北京）</th><th>结束</th><th>结果</th></tr></thead>
          <tbody>
            {p.rows.map((l) => (
              <tr data-lot-id={l.id}>
                <td><a href={`/admin/lots/${encodeURIComponent(l.id)}`}>{l.title}</a></td>
                <td><span class={`tag ${l.state}`}>{STATE_LABELS[l.state]}</span></td>
                <td class="num">{fen(l.startPriceFen)}</td>
                <td class="num">{fen(l.currentPriceFen)}</td>
                <td class="num">{l.bidCount}</td>
                <td class="mono">{when(l.startsAt)}</td>
                <td class="mono">{when(l.endsAt)}</td>
                <td>{STATUS_LABELS[l.status]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.nextCursor ? <div class="pager"><a href={`/admin/lots?cursor=${encodeURIComponent(p.nextCursor)}`} rel="next">下一页 »</a></div> : null}
    </Layout>
  );
}

function Field(p: { label: string; name: keyof LotFormValues; value: string; error?: string; type?: string; hint?: string; required?: boolean }) {
  return (
    <label class="field">
      <span>{p.label}{p.hint ? <small class="muted">{` ${p.hint}`}</small> : null}</span>
      <input type={p.type ?? "text"} name={p.name} value={p.value} required={p.required} aria-invalid={p.error ? "true" : undefined} />
      {p.error ? <small class="error">{p.error}</small> : null}
    </label>
  );
}

export function NewLotPage(p: Session & { values: LotFormValues; errors?: FieldErrors; error?: string }) {
  const v = p.values;
  const e = p.errors ?? {};
  return (
    <Layout title="新建拍品" admin={p.session.admin} csrfToken={p.session.csrfToken} active="lots">
      <h1>新建拍品</h1>
      <Tabs on="new" />
      <Messages error={p.error} />
      <form class="card form" method="post" action="/admin/lots" data-testid="lot-form">
        <input type="hidden" name="_csrf" value={p.session.csrfToken} />
        <Field label="作品名称" name="title" value={v.title} error={e.title} required />
        <Field label="讲师" name="instructor" value={v.instructor} error={e.instructor} />
        <label class="field"><span>作品介绍</span><textarea name="description" rows={4}>{v.description}</textarea></label>
        <Field label="起拍价（元）" name="startPrice" value={v.startPrice} error={e.startPrice} required />
        <Field label="保留价（元）" name="reservePrice" value={v.reservePrice} error={e.reservePrice} hint="留空表示无保留价；不对会员公开" />
        <Field label="保证金（元）" name="deposit" value={v.deposit} error={e.deposit} hint="0 表示无需保证金" />
        <Field label="加价幅度" name="ladder" value={v.ladder} error={e.ladder} hint="“上限:加价” 以逗号分隔，单位元，最后一档不写上限，如 1000:10, 5000:50, :100" required />
        <Field label="开始时间（北京时间）" name="startsAt" type="datetime-local" value={v.startsAt} error={e.startsAt} required />
        <Field label="结束时间（北京时间）" name="endsAt" type="datetime-local" value={v.endsAt} error={e.endsAt} required />
        <Field label="延时窗口（秒）" name="windowSec" value={v.windowSec} error={e.windowSec} hint="结束前这么多秒内出价即延时" />
        <Field label="每次延时（秒）" name="extendSec" value={v.extendSec} error={e.extendSec} />
        <Field label="最多延时次数" name="maxExtensions" value={v.maxExtensions} error={e.maxExtensions} />
        <Field label="付款期限（小时）" name="paymentDeadlineHours" value={v.paymentDeadlineHours} error={e.paymentDeadlineHours} />
        <label class="check"><input type="checkbox" name="commissionable" value="yes" checked={v.commissionable} /> 成交后按分销规则计佣</label>
        <div><button class="primary" type="submit">创建拍品</button></div>
      </form>
    </Layout>
  );
}

type Detail = Awaited<ReturnType<typeof adminLotDetail>>;

export function LotDetailPage(p: Session & { detail: Detail; notice?: string; error?: string }) {
  const { lot, bids, images, sale } = p.detail;
  return (
    <Layout title={lot.title} admin={p.session.admin} csrfToken={p.session.csrfToken} active="lots">
      <p><a href="/admin/lots">« 拍品列表</a></p>
      <h1>{lot.title} <span class={`tag ${lot.state}`}>{STATE_LABELS[lot.state]}</span></h1>
      <Messages notice={p.notice} error={p.error} />
      <div class="card">
        <dl class="fields">
          <dt>起拍价</dt><dd>{fen(lot.startPriceFen)}</dd>
          <dt>保留价</dt><dd>{fen(lot.reservePriceFen)}</dd>
          <dt>保证金</dt><dd>{fen(lot.depositFen)}</dd>
          <dt>加价幅度</dt><dd>{lot.incrementLadder.map((r) => `${r.belowFen === null ? "以上" : `${formatFen(r.belowFen)} 以下`} +${formatFen(r.stepFen)}`).join("；")}</dd>
          <dt>当前价</dt><dd data-testid="lot-price">{fen(lot.currentPriceFen)}</dd>
          <dt>出价次数</dt><dd>{lot.bidCount}</dd>
          <dt>开始</dt><dd>{when(lot.startsAt)}</dd>
          <dt>结束（含延时）</dt><dd>{when(lot.endsAt)}</dd>
          <dt>结果</dt><dd data-testid="lot-status">{STATUS_LABELS[lot.status]}{lot.hammerPriceFen !== null ? ` · 成交价 ${formatFen(lot.hammerPriceFen)}` : ""}</dd>
          <dt>图片</dt><dd>{images.length ? images.map((i) => <a href={i.url}>{i.id}</a>) : "—"}<small class="muted"> 上传：PUT /api/admin/lots/:id/images</small></dd>
        </dl>
      </div>
      {sale ? (
        <>
          <h2>成交</h2>
          <div class="card">
            <dl class="fields">
              <dt>买家</dt><dd><a href={`/admin/members/${encodeURIComponent(sale.winnerMemberId)}`}>{sale.winnerMemberId}</a></dd>
              <dt>成交价</dt><dd>{formatFen(sale.priceFen)}</dd>
              <dt>状态</dt><dd>{SALE_LABELS[sale.status]}</dd>
              <dt>付款截止</dt><dd>{formatTime(sale.paymentDueAt)}</dd>
              <dt>物流</dt><dd>{sale.carrier ? `${sale.carrier} ${sale.trackingNo}` : "—"}</dd>
            </dl>
          </div>
        </>
      ) : null}
      <h2>出价记录</h2>
      {bids.length === 0 ? (
        <div class="card muted">还没有出价（出价由拍品的竞拍对象写入，稍有延迟）</div>
      ) : (
        <table data-testid="bids-table">
          <thead><tr><th class="num">#</th><th>会员</th><th class="num">金额</th><th>方式</th><th>时间（北京）</th></tr></thead>
          <tbody>
            {bids.map((b) => (
              <tr data-bid-seq={b.seq}>
                <td class="num">{b.seq}</td>
                <td class="mono"><a href={`/admin/members/${encodeURIComponent(b.memberId)}`}>{b.memberId}</a></td>
                <td class="num">{formatFen(b.amountFen)}</td>
                <td>{b.kind === "proxy" ? "代理出价" : "出价"}</td>
                <td class="mono">{when(b.placedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Layout>
  );
}

type SaleRow = Awaited<ReturnType<typeof listSales>>[number];
type UnsoldRow = Awaited<ReturnType<typeof listUnsold>>[number];
const SALE_TITLES: Record<SaleView, string> = { results: "成交结果", unpaid: "未付款买家", shipments: "发货" };

export function SalesPage(p: Session & { view: SaleView; rows: SaleRow[]; unsold: UnsoldRow[]; notice?: string; error?: string }) {
  return (
    <Layout title={SALE_TITLES[p.view]} admin={p.session.admin} csrfToken={p.session.csrfToken} active="lots">
      <h1>{SALE_TITLES[p.view]}</h1>
      <Tabs on={p.view} />
      <Messages notice={p.notice} error={p.error} />
      {p.rows.length === 0 ? (
        <div class="card muted">没有记录</div>
      ) : (
        <table data-testid="sales-table">
          <thead><tr><th>拍品</th><th>买家</th><th class="num">成交价</th><th>状态</th><th>付款截止</th><th>收货地址</th><th>物流</th></tr></thead>
          <tbody>
            {p.rows.map((s) => (
              <tr data-lot-id={s.lotId}>
                <td><a href={`/admin/lots/${encodeURIComponent(s.lotId)}`}>{s.title}</a></td>
                <td><a href={`/admin/members/${encodeURIComponent(s.winnerMemberId)}`}>{s.winnerNickname || s.winnerMemberId}</a></td>
                <td class="num">{formatFen(s.priceFen)}</td>
                <td>{SALE_LABELS[s.status]}</td>
                <td class="mono">{formatTime(s.paymentDueAt)}</td>
                <td>{s.shippingAddress ? `${s.shippingAddress.userName ?? ""} ${s.shippingAddress.telNumber ?? ""} ${s.shippingAddress.provinceName ?? ""}${s.shippingAddress.cityName ?? ""}${s.shippingAddress.countyName ?? ""}${s.shippingAddress.detailInfo ?? ""}` : "—"}</td>
                <td>
                  {p.view === "shipments" && (s.status === "paid" || s.status === "shipped") ? (
                    <form method="post" action={`/admin/lots/${encodeURIComponent(s.lotId)}/shipment`} class="inline">
                      <input type="hidden" name="_csrf" value={p.session.csrfToken} />
                      <input type="text" name="carrier" value={s.carrier ?? ""} placeholder="快递公司" required maxlength={40} />
                      <input type="text" name="trackingNo" value={s.trackingNo ?? ""} placeholder="运单号" required maxlength={40} />
                      <button type="submit">{s.status === "shipped" ? "更正" : "发货"}</button>
                    </form>
                  ) : s.carrier ? (
                    `${s.carrier} ${s.trackingNo}`
                  ) : (
                    "—"
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {p.view === "results" && p.unsold.length > 0 ? (
        <>
          <h2>流拍</h2>
          <table data-testid="unsold-table">
            <thead><tr><th>拍品</th><th class="num">最高出价</th><th class="num">出价次数</th><th>结束</th></tr></thead>
            <tbody>
              {p.unsold.map((l) => (
                <tr>
                  <td><a href={`/admin/lots/${encodeURIComponent(l.id)}`}>{l.title}</a></td>
                  <td class="num">{fen(l.currentPriceFen)}</td>
                  <td class="num">{l.bidCount}</td>
                  <td class="mono">{formatTime(l.endedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </Layout>
  );
}
