import { Hono, type Context } from "hono";
import { z } from "zod";
import { RefundInput } from "../admin-routes";
import { isOrderCursor, listOrdersForAdmin, orderDetailForAdmin, orderExportChunk, type AdminOrderFilter, type AdminOrderRow, type OrderStatus } from "../admin-queries";
import { phoneSearchHash } from "../../members/phone";
import { requestRefund } from "../refunds";
import { resolveAbnormalRefund } from "../abnormal-refunds";
import { ORDER_STATUSES } from "../views";
import { wechatPayConfig } from "../../wechat/pay/client";
import { attempt, DONE_MESSAGES } from "../../console/errors";
import type { ConsoleEnv } from "../../console/context";
import { field, formEntries } from "../../console/form";
import { parseYuanToFen } from "../../console/money";
import { ORDER_STATUS_LABELS, OrderDetailPage, OrdersPage, type RefundFormValues } from "./pages";
import { csvBeijingTime, csvResponse, csvYuan, keysetChunks, type CsvColumn } from "../../console/csv";
import { badQueryPage, blankToUndefined, dayWindow, withDayRange } from "../../console/list-filters";
import { orderCommissions } from "../../commissions/console/sections";
import { notFoundPage } from "../../console/error-pages";
import { refundConsole } from "./refunds";

type Ctx = Context<ConsoleEnv>;

/** Orders in the console; refunds go through the same service as POST /api/admin/orders/:id/refund. */
export const orderConsole = new Hono<ConsoleEnv>();

const OrderFilters = {
  status: z.preprocess(blankToUndefined, z.enum(ORDER_STATUSES).optional()),
  q: z.string().trim().max(64).default(""),
};
const ListQuery = withDayRange({ ...OrderFilters, cursor: z.preprocess(blankToUndefined, z.string().max(512).refine(isOrderCursor, "不是本列表的翻页位置").optional()) });
const ExportQuery = withDayRange(OrderFilters);
type Filters = { status?: OrderStatus; q: string; from?: string; to?: string };

/** The list's filters as the query reads them: `from`/`to` are days the order was created (Beijing). */
async function filterOf(env: Env, f: Filters): Promise<AdminOrderFilter> {
  return { status: f.status, q: f.q, ...dayWindow(f), phoneHash: f.q ? await phoneSearchHash(env, f.q) : undefined };
}

orderConsole.get("/orders", async (c) => {
  const parsed = ListQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const query = parsed.data;
  const page = await listOrdersForAdmin(c.env.DB, { ...(await filterOf(c.env, query)), cursor: query.cursor });
  return c.html(<OrdersPage session={c.var.session} rows={page.items} nextCursor={page.nextCursor} filters={{ status: query.status, q: query.q, from: query.from, to: query.to }} />);
});

const orderColumns: CsvColumn<AdminOrderRow>[] = [
  { header: "订单号", value: (o) => o.id },
  { header: "会员ID", value: (o) => o.member_id },
  { header: "昵称", value: (o) => o.member_nickname },
  { header: "openid", value: (o) => o.member_openid },
  { header: "类型", value: (o) => o.kind },
  { header: "内容", value: (o) => o.description },
  { header: "金额(元)", value: (o) => csvYuan(o.amount_fen) },
  { header: "已退款(元)", value: (o) => csvYuan(o.refunded_fen) },
  { header: "状态", value: (o) => ORDER_STATUS_LABELS[o.status] ?? o.status },
  { header: "微信支付单号", value: (o) => o.transaction_id },
  { header: "下单时间(北京)", value: (o) => csvBeijingTime(o.created_at) },
  { header: "支付时间(北京)", value: (o) => csvBeijingTime(o.paid_at) },
];

/** CSV of the orders the list's filters select, read in chunks of 500 by primary key. */
orderConsole.get("/orders/export.csv", async (c) => {
  const parsed = ExportQuery.safeParse(c.req.query());
  if (!parsed.success) return badQueryPage(c, parsed.error);
  const filter = await filterOf(c.env, parsed.data);
  return csvResponse("orders.csv", orderColumns, keysetChunks((after, size) => orderExportChunk(c.env.DB, filter, after, size), (o) => o.id));
});

async function renderOrder(c: Ctx, id: string, extra: { values?: RefundFormValues; error?: string } = {}, status: 200 | 404 | 409 | 422 | 502 = 200) {
  const detail = id.length <= 64 ? await orderDetailForAdmin(c.env.DB, id) : null;
  if (!detail) return notFoundPage(c, "没有这个订单。");
  const notice = DONE_MESSAGES[c.req.query("done") ?? ""];
  const commissions = await orderCommissions(c.env.DB, id);
  return c.html(<OrderDetailPage session={c.var.session} detail={detail} commissions={commissions} values={extra.values} error={extra.error} notice={notice} />, status);
}

orderConsole.get("/orders/:id", (c) => renderOrder(c, c.req.param("id")));

orderConsole.post("/orders/:id/refund", async (c) => {
  const id = c.req.param("id");
  const form = await formEntries(c);
  const values = { amount: field(form, "amount").trim(), reason: field(form, "reason").trim() };
  // Blank means everything that can still be refunded; otherwise yuan, parsed to fen on its digits.
  const amountFen = values.amount === "" ? undefined : parseYuanToFen(values.amount);
  const parsed = RefundInput.safeParse({ amountFen: amountFen ?? undefined, reason: values.reason });
  const problems = [
    amountFen === null && "退款金额请填写以元为单位的数字，最多两位小数。",
    parsed.error?.issues.some((i) => i.path[0] === "amountFen") && "退款金额必须大于 0。",
    parsed.error?.issues.some((i) => i.path[0] === "reason") && "请填写退款原因（最多 80 字）。",
    field(form, "confirm") !== "yes" && "请勾选确认。",
  ].filter((p): p is string => typeof p === "string");
  if (problems.length || !parsed.success) return renderOrder(c, id, { values, error: problems.join(" ") }, 422);

  const by = { adminId: c.var.session.admin.id, requestId: c.var.requestId };
  const result = await attempt(() => requestRefund(c.env.DB, wechatPayConfig(c.env), id, parsed.data.amountFen, parsed.data.reason, by, c.var.log));
  if (!result.ok) return renderOrder(c, id, { values, error: result.error }, result.status === 404 ? 404 : result.status === 502 ? 502 : 409);
  return c.redirect(`/admin/orders/${encodeURIComponent(id)}?done=refunded`, 303);
});

orderConsole.post("/orders/:id/refunds/:refundId/apply-abnormal", async (c) => {
  const id = c.req.param("id");
  const by = { adminId: c.var.session.admin.id, requestId: c.var.requestId };
  const result = await attempt(() => resolveAbnormalRefund(c.env.DB, wechatPayConfig(c.env), id, c.req.param("refundId"), by, c.var.log));
  if (!result.ok) return renderOrder(c, id, { error: result.error }, result.status === 404 ? 404 : result.status === 502 ? 502 : 409);
  return c.redirect(`/admin/orders/${encodeURIComponent(id)}?done=abnormal-applied`, 303);
});

// 退款 (the list the dashboard's refund figures link to) lives beside the orders it refunds.
orderConsole.route("/", refundConsole);
