import { createRoute, z } from "@hono/zod-openapi";
import { principal, requireAdmin } from "../http/auth";
import { listLimit, pageOf } from "../http/cursor";
import { IdempotencyKeyHeader, idempotency } from "../http/idempotency";
import { ApiError, problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { wechatPayConfig } from "../wechat/pay/client";
import { openNotification } from "../wechat/pay/notification";
import type { TransferBillResource } from "../wechat/pay/transfers";
import { approveWithdrawal, deciderOf, rejectWithdrawal } from "./decisions";
import { payeeApp } from "./requests";
import { listWithdrawalsForAdmin } from "./admin-queries";
import { applyTransferBill } from "./transfer";
import { WITHDRAWAL_STATUSES, WithdrawalSchema, type WithdrawalRow } from "./views";

const AdminWithdrawalSchema = WithdrawalSchema.extend({ memberId: z.string() }).openapi("AdminWithdrawal");
export const RejectInput = z.object({ reason: z.string().trim().min(1).max(80) });
const IdParam = z.object({ id: z.string().min(1).max(40) });

const list = createRoute({
  method: "get",
  path: "/api/admin/withdrawals",
  tags: ["admin", "payouts"],
  summary: "The payout queue (oldest first for pending), or withdrawals in any status",
  security: [{ bearer: [] }],
  middleware: [requireAdmin] as const,
  request: { query: z.object({ status: z.enum(WITHDRAWAL_STATUSES).optional(), limit: listLimit, cursor: z.string().max(200).optional() }) },
  responses: {
    200: { description: "A page", content: { "application/json": { schema: pageOf(AdminWithdrawalSchema) } } },
    ...problemResponses(401, 403, 422),
  },
});

const approve = createRoute({
  method: "post",
  path: "/api/admin/withdrawals/{id}/approve",
  tags: ["admin", "payouts"],
  summary: "Approve a withdrawal (from the threshold on, a second different admin must approve too; never one's own); the last approval creates the WeChat transfer",
  security: [{ bearer: [] }],
  middleware: [requireAdmin, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, params: IdParam },
  responses: { 200: { description: "The withdrawal after the decision", content: { "application/json": { schema: WithdrawalSchema } } }, ...problemResponses(401, 403, 404, 409, 422) },
});

const reject = createRoute({
  method: "post",
  path: "/api/admin/withdrawals/{id}/reject",
  tags: ["admin", "payouts"],
  summary: "Reject a pending withdrawal with a reason; the reserved amount is available again",
  security: [{ bearer: [] }],
  middleware: [requireAdmin, idempotency] as const,
  request: { headers: IdempotencyKeyHeader, params: IdParam, body: { required: true, content: { "application/json": { schema: RejectInput } } } },
  responses: { 200: { description: "The withdrawal after the decision", content: { "application/json": { schema: WithdrawalSchema } } }, ...problemResponses(401, 403, 404, 409, 422) },
});

const notify = createRoute({
  method: "post",
  path: "/api/pay/transfer-notify",
  tags: ["pay"],
  summary: "Merchant transfer notification (MCHTRANSFER.BILL.FINISHED)",
  description: "Called by WeChat Pay, signed with Wechatpay-Signature/Timestamp/Nonce/Serial; the resource is AEAD_AES_256_GCM encrypted.",
  responses: { 204: { description: "Handled (also for a repeated or late notification)" }, ...problemResponses(400, 401, 409) },
});

const transferMismatch = (detail: string) => new ApiError(400, "payment-mismatch", detail, undefined, "Transfer does not match the withdrawal");

export const adminPayoutRoutes = createRouter()
  .openapi(list, async (c) => {
    const { status, limit, cursor } = c.req.valid("query");
    const page = await listWithdrawalsForAdmin(c.env.DB, { status, limit, cursor });
    return c.json({ items: page.items.map((w) => ({ ...page.view(w, payeeApp(c.env)), memberId: w.member_id })), nextCursor: page.nextCursor }, 200);
  })
  .openapi(approve, async (c) => {
    const w = await approveWithdrawal(c.env, c.req.valid("param").id, deciderOf(principal(c), c.var.requestId), c.var.log);
    return c.json(w, 200);
  })
  .openapi(reject, async (c) => {
    const { reason } = c.req.valid("json");
    const w = await rejectWithdrawal(c.env, c.req.valid("param").id, reason, deciderOf(principal(c), c.var.requestId), c.var.log);
    return c.json(w, 200);
  })
  .openapi(notify, async (c) => {
    const config = wechatPayConfig(c.env);
    const n = await openNotification(config, c.req.raw.headers, await c.req.text());
    if (n.eventType !== "MCHTRANSFER.BILL.FINISHED") {
      c.var.log.info("transfer notification ignored", { eventType: n.eventType, id: n.id });
      return c.body(null, 204);
    }
    const r = n.resource as TransferBillResource;
    const w = await c.env.DB.prepare("SELECT * FROM withdrawals WHERE id = ?").bind(String(r.out_bill_no ?? "")).first<WithdrawalRow>();
    if (!w) throw transferMismatch(`No withdrawal ${String(r.out_bill_no).slice(0, 40)}.`);
    const problems = [r.mch_id !== config.mchid && "mch_id", r.transfer_amount !== w.net_fen && "transfer_amount"].filter(Boolean);
    if (problems.length > 0) {
      c.var.log.warn("transfer notification does not match its withdrawal; nothing written", { withdrawalId: w.id, fields: problems });
      throw transferMismatch(`The transfer's ${problems.join(", ")} do not match withdrawal ${w.id}.`);
    }
    const outcome = await applyTransferBill(c.env, w.id, r, c.var.log);
    c.var.log.info("transfer notification", { id: n.id, withdrawalId: w.id, state: r.state, outcome });
    return c.body(null, 204);
  });
