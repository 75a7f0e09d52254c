import { Hono, type Context } from "hono";
import { z } from "zod";
import { RefundInput } from "../admin-routes";
import { listOrdersForAdmin, orderDetailForAdmin } from "../admin-queries";
import { phoneSearchHash } from "../../members/phone";
import { requestRefund } from "../refunds";
import { resolveAbnormalRefund } from "../abnormal-refunds";
import { ORDER_STATUSES } from "../views";
import { wechatPayConfig } from "../../wechat/pay/client";
import { attempt, DONE_MESSAGES } from "../../console/errors";
import type { ConsoleEnv } from "../../console/context";
import { field, formEntries } from "../../console/form";
import { parseYuanToFen } from "../../console/money";
import { OrderDetailPage, OrdersPage, type RefundFormValues } from "./pages";
import { orderCommissions } from "../../commissions/console/sections";
import { notFoundPage } from "../../console/error-pages";
import { refundConsole } from "./refunds";

type Ctx = Context<ConsoleEnv>;

/** Orders in the console; refunds go through the same service as POST /api/admin/orders/:id/refund. */
export const orderConsole = new Hono<ConsoleEnv>();

const ListQuery = z.object({
  status: z.enum(ORDER_STATUSES).optional().catch(undefined),
  q: z.string().max(64).catch(""),
  cursor: z.string().max(512).optional().catch(undefined),
});

orderConsole.get("/orders", async (c) => {
  const { status, q, cursor } = ListQuery.parse(c.req.query());
  const page = await listOrdersForAdmin(c.env.DB, { status, q, cursor, phoneHash: q.trim() ? await phoneSearchHash(c.env, q.trim()) : undefined });
  return c.html(<OrdersPage session={c.var.session} rows={page.items} nextCursor={page.nextCursor} status={status ?? ""} q={q} />);
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
