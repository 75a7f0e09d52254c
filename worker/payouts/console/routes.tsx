import { Hono, type Context } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "../../console/context";
import { attempt } from "../../console/errors";
import { field, formEntries } from "../../console/form";
import { RejectInput } from "../admin-routes";
import { listWithdrawalsForAdmin } from "../admin-queries";
import { approveWithdrawal, rejectWithdrawal, type Decider } from "../decisions";
import { STATUS_TEXT, WITHDRAWAL_STATUSES } from "../views";
import { PayoutDetailPage, PayoutsPage } from "./pages";
import { EXPORT_MAX_DAYS, exportChunk, finishedTotal, payoutDetail, withMembers, type QueueRow } from "./queries";
import { csvBeijingTime, csvResponse, csvYuan, keysetChunks, type CsvColumn } from "../../console/csv";
import { beijingMidnight, DAY_MS } from "../../calendar/beijing";
import { badQueryPage, BeijingDay, dayWindow, withDayRange } from "../../console/list-filters";
import { notFoundPage } from "../../console/error-pages";

type Ctx = Context<ConsoleEnv>;

/** 提现审核: the queue, a payout's page with hints and its ledger transfers, decisions, and the CSV export for finance. */
export const payoutConsole = new Hono<ConsoleEnv>();

const ListQuery = z.object({
  status: z.enum([...WITHDRAWAL_STATUSES, "all"]).catch("pending"),
  cursor: z.string().max(512).optional().catch(undefined),
  done: z.string().max(20).optional().catch(undefined),
});

const DONE: Record<string, string> = {
  approved: "已通过，已向微信发起商家转账。",
  first: "已记录第一次审批，等待另一位管理员复核。",
  rejected: "已驳回，预留金额已退回会员可提现余额。",
};

/** The console user as a person: the linked member, or the console user itself (see decisions.ts). */
const decider = (c: Ctx): Decider => ({
  person: c.var.session.admin.memberId ?? c.var.session.admin.id, credentialId: c.var.session.admin.id, viaConsole: true, requestId: c.var.requestId,
});

payoutConsole.get("/payouts", async (c) => {
  const { status, cursor, done } = ListQuery.parse(c.req.query());
  // The dates (finished on these Beijing days, both included; the dashboard links here) are refused when malformed.
  const dates = withDayRange({}).safeParse({ from: c.req.query("from"), to: c.req.query("to") });
  if (!dates.success) return badQueryPage(c, dates.error);
  const { fromMs, toMs } = dayWindow(dates.data);
  const byDay = fromMs !== undefined || toMs !== undefined;
  const filter = { status: status === "all" ? undefined : status, fromMs, toMs };
  const [page, total] = await Promise.all([
    listWithdrawalsForAdmin(c.env.DB, { status: filter.status, limit: 20, cursor, finishedFromMs: fromMs, finishedToMs: toMs }),
    byDay ? finishedTotal(c.env.DB, filter) : null,
  ]);
  const rows = await withMembers(c.env.DB, page.items);
  return c.html(
    <PayoutsPage session={c.var.session} rows={rows} nextCursor={page.nextCursor} status={status} from={dates.data.from ?? ""} to={dates.data.to ?? ""} total={total} notice={done ? DONE[done] : undefined} />,
  );
});

/** Both days required (finance exports a period), at most EXPORT_MAX_DAYS of them. */
const ExportQuery = z
  .object({ from: BeijingDay, to: BeijingDay })
  .refine(({ from, to }) => from <= to && beijingMidnight(to) - beijingMidnight(from) < EXPORT_MAX_DAYS * DAY_MS, {
    message: `请选择开始和结束日期（最多 ${EXPORT_MAX_DAYS} 天）`,
    path: ["to"],
  });

const withdrawalColumns: CsvColumn<QueueRow>[] = [
  { header: "提现单号", value: (w) => w.id },
  { header: "会员ID", value: (w) => w.member_id },
  { header: "昵称", value: (w) => w.nickname },
  { header: "openid", value: (w) => w.openid },
  { header: "申请金额(元)", value: (w) => csvYuan(w.amount_fen) },
  { header: "手续费(元)", value: (w) => csvYuan(w.fee_fen) },
  { header: "到账金额(元)", value: (w) => csvYuan(w.net_fen) },
  { header: "状态", value: (w) => STATUS_TEXT[w.status] },
  { header: "原因", value: (w) => w.status_reason },
  { header: "微信转账单号", value: (w) => w.transfer_bill_no },
  { header: "申请时间(北京)", value: (w) => csvBeijingTime(w.created_at) },
  { header: "完成时间(北京)", value: (w) => csvBeijingTime(w.finished_at) },
];

/** CSV of the withdrawals requested between two Beijing dates (both included), for finance. */
payoutConsole.get("/payouts/export.csv", async (c) => {
  const parsed = ExportQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const { from, to } = parsed.data;
  const fromMs = beijingMidnight(from);
  const toMs = beijingMidnight(to) + DAY_MS;
  const chunks = keysetChunks((after, size) => exportChunk(c.env.DB, fromMs, toMs, after, size), (w) => w.id);
  return csvResponse(`withdrawals-${from}-${to}.csv`, withdrawalColumns, chunks);
});

async function renderPayout(c: Ctx, id: string, extra: { error?: string; reason?: string } = {}, status: 200 | 403 | 404 | 409 | 422 = 200) {
  const detail = id.length <= 40 ? await payoutDetail(c.env.DB, id, decider(c).person) : null;
  if (!detail) return notFoundPage(c, "没有这笔提现。");
  const done = c.req.query("done");
  return c.html(<PayoutDetailPage session={c.var.session} detail={detail} notice={done ? DONE[done] : undefined} error={extra.error} reason={extra.reason} />, status);
}

payoutConsole.get("/payouts/:id", (c) => renderPayout(c, c.req.param("id")));

const MESSAGES: Record<string, string> = {
  "own-withdrawal": "不能审核自己的提现，请由其他管理员审核。",
  "second-approver-must-differ": "该笔提现需要另一位管理员复核，你已审批过。",
  "withdrawal-already-decided": "该笔提现已被处理。",
  "withdrawal-changed": "该笔提现刚刚发生了变化，请刷新后重试。",
  "payee-blocked": "该会员账号已停用，不能批准提现；请驳回，款项将退回其账户。",
};

payoutConsole.post("/payouts/:id/approve", async (c) => {
  const id = c.req.param("id");
  const form = await formEntries(c);
  if (field(form, "confirm") !== "yes") return renderPayout(c, id, { error: "请勾选确认。" }, 422);
  const result = await attempt(() => approveWithdrawal(c.env, id, decider(c), c.var.log));
  if (!result.ok) return renderPayout(c, id, { error: MESSAGES[result.code] ?? result.error }, result.status === 404 ? 404 : result.status === 403 ? 403 : 409);
  const done = result.value.status === "pending" ? "first" : "approved";
  return c.redirect(`/admin/payouts/${encodeURIComponent(id)}?done=${done}`, 303);
});

payoutConsole.post("/payouts/:id/reject", async (c) => {
  const id = c.req.param("id");
  const form = await formEntries(c);
  const parsed = RejectInput.safeParse({ reason: field(form, "reason") });
  if (!parsed.success) return renderPayout(c, id, { error: "请填写驳回原因（最多 80 字）。" }, 422);
  const result = await attempt(() => rejectWithdrawal(c.env, id, parsed.data.reason, decider(c), c.var.log));
  if (!result.ok) return renderPayout(c, id, { error: MESSAGES[result.code] ?? result.error, reason: parsed.data.reason }, result.status === 404 ? 404 : result.status === 403 ? 403 : 409);
  return c.redirect(`/admin/payouts/${encodeURIComponent(id)}?done=rejected`, 303);
});
