import { Hono } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { csvBeijingTime, csvResponse, csvYuan, keysetChunks, type CsvColumn } from "../../console/csv";
import { Layout, TIER_LABELS } from "../../console/layout";
import { badQueryPage, blankToUndefined, dayWindow, DayRangeFields, listHref, Pager, withDayRange } from "../../console/list-filters";
import type { ConsoleSession } from "../../console/session";
import { COMMISSION_STATUS_LABELS, CommissionCells, CommissionHeadCells, commissionLevel, commissionRate } from "./sections";
import {
  COMMISSION_STATUSES, commissionExportChunk, isCommissionCursor, listCommissionRecords,
  type CommissionFilter, type CommissionRecordRow, type CommissionStatus,
} from "./records-queries";

/** 佣金记录: every commission, filtered by accrual day, status and earner, with its CSV export. */
export const commissionRecordsConsole = new Hono<ConsoleEnv>();

const Filters = {
  status: z.preprocess(blankToUndefined, z.enum(COMMISSION_STATUSES).optional()),
  earner: z.preprocess(blankToUndefined, z.string().trim().max(64).optional()),
};
const ListQuery = withDayRange({ ...Filters, cursor: z.preprocess(blankToUndefined, z.string().max(512).refine(isCommissionCursor, "不是本列表的翻页位置").optional()) });
const ExportQuery = withDayRange(Filters);
type Query = { status?: CommissionStatus; earner?: string; from?: string; to?: string };

const filterOf = (q: Query): CommissionFilter => ({ status: q.status, earnerId: q.earner, ...dayWindow(q) });
const memberLink = (id: string, nickname: string | null) => <a href={`/admin/members/${encodeURIComponent(id)}`}>{nickname || id}</a>;

function RecordsPage(p: { session: ConsoleSession; q: Query; rows: CommissionRecordRow[]; nextCursor: string | null }) {
  const f = { status: p.q.status, earner: p.q.earner, from: p.q.from, to: p.q.to };
  return (
    <Layout title="佣金记录" admin={p.session.admin} csrfToken={p.session.csrfToken} active="commissions">
      <p><a href="/admin/commissions">« 分销设置</a></p>
      <h1>佣金记录</h1>
      <form class="search" method="get" action="/admin/commissions/records" data-testid="commissions-filter">
        <select name="status" aria-label="状态">
          <option value="">全部状态</option>
          {COMMISSION_STATUSES.map((s) => <option value={s} selected={s === f.status}>{COMMISSION_STATUS_LABELS[s]}</option>)}
        </select>
        <input type="search" name="earner" value={f.earner ?? ""} placeholder="获佣会员 ID" maxlength={64} />
        <DayRangeFields from={f.from} to={f.to} />
        <button class="primary" type="submit">筛选</button>
        <a class="button" href={listHref("/admin/commissions/records/export.csv", f)} data-testid="export-commissions">导出 CSV</a>
      </form>
      <p class="muted">日期按佣金产生（订单支付）的北京时间筛选。</p>
      {p.rows.length === 0 ? (
        <div class="card muted">没有符合条件的佣金</div>
      ) : (
        <table data-testid="commission-records">
          <thead>
            <tr><th>获佣会员</th><th>订单</th><th>购买人</th><CommissionHeadCells createdAt /></tr>
          </thead>
          <tbody>
            {p.rows.map((c) => (
              <tr data-commission-id={c.id}>
                <td>{memberLink(c.earner_id, c.earner_nickname)}</td>
                <td class="mono"><a href={`/admin/orders/${encodeURIComponent(c.order_id)}`}>{c.order_id}</a></td>
                <td>{memberLink(c.buyer_id, c.buyer_nickname)}</td>
                <CommissionCells c={c} createdAt />
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pager path="/admin/commissions/records" filters={f} nextCursor={p.nextCursor} />
    </Layout>
  );
}

commissionRecordsConsole.get("/commissions/records", async (c) => {
  const parsed = ListQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const q = parsed.data;
  const page = await listCommissionRecords(c.env.DB, { ...filterOf(q), cursor: q.cursor });
  return c.html(<RecordsPage session={c.var.session} q={q} rows={page.items} nextCursor={page.nextCursor} />);
});

const columns: CsvColumn<CommissionRecordRow>[] = [
  { header: "佣金ID", value: (c) => c.id },
  { header: "订单号", value: (c) => c.order_id },
  { header: "订单内容", value: (c) => c.order_description },
  { header: "获佣会员ID", value: (c) => c.earner_id },
  { header: "获佣会员昵称", value: (c) => c.earner_nickname },
  { header: "获佣时等级", value: (c) => TIER_LABELS[c.tier] ?? c.tier },
  { header: "购买人ID", value: (c) => c.buyer_id },
  { header: "购买人昵称", value: (c) => c.buyer_nickname },
  { header: "级别", value: (c) => commissionLevel(c.level) },
  { header: "比例", value: (c) => commissionRate(c.rate_bps) },
  { header: "计佣金额(元)", value: (c) => csvYuan(c.base_fen) },
  { header: "佣金(元)", value: (c) => csvYuan(c.amount_fen) },
  { header: "已取消(元)", value: (c) => csvYuan(c.cancelled_fen) },
  { header: "已结算(元)", value: (c) => csvYuan(c.settled_fen) },
  { header: "已追回(元)", value: (c) => csvYuan(c.clawed_back_fen) },
  { header: "状态", value: (c) => COMMISSION_STATUS_LABELS[c.status] ?? c.status },
  { header: "产生时间(北京)", value: (c) => csvBeijingTime(c.created_at) },
  { header: "解冻时间(北京)", value: (c) => csvBeijingTime(c.available_at) },
];

/** CSV of the commissions the list's filters select, read in chunks of 500 by primary key. */
commissionRecordsConsole.get("/commissions/records/export.csv", async (c) => {
  const parsed = ExportQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const filter = filterOf(parsed.data);
  return csvResponse("commissions.csv", columns, keysetChunks((after, size) => commissionExportChunk(c.env.DB, filter, after, size), (r) => r.id));
});
