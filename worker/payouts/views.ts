import { z } from "@hono/zod-openapi";
import { WITHDRAWAL_STATUSES } from "../../schema/payouts";
import { cursorKey, decodeCursor, encodeCursor } from "../http/cursor";

export { WITHDRAWAL_STATUSES };
export type WithdrawalStatus = (typeof WITHDRAWAL_STATUSES)[number];

/** The states WeChat may still move; money stays pending in the ledger while a withdrawal is in one of them. */
export const OPEN_STATUSES: readonly WithdrawalStatus[] = ["pending", "approved", "wait_user_confirm", "transferring"];
/** Approved and at WeChat: the outcome comes from a notification or a query. */
export const AT_WECHAT_STATUSES: readonly WithdrawalStatus[] = ["approved", "wait_user_confirm", "transferring"];

export const STATUS_TEXT: Record<WithdrawalStatus, string> = {
  pending: "待审核",
  approved: "已通过，转账中",
  wait_user_confirm: "待确认收款",
  transferring: "到账中",
  paid: "已到账",
  rejected: "已驳回",
  failed: "转账失败",
  cancelled: "已撤销",
};

export const WithdrawalSchema = z
  .object({
    id: z.string().openapi({ description: "Also the WeChat merchant transfer out_bill_no." }),
    amountFen: z.number().int().openapi({ description: "Taken from the available balance (fee included)." }),
    feeFen: z.number().int(),
    netFen: z.number().int().openapi({ description: "What reaches the WeChat balance." }),
    status: z.enum(WITHDRAWAL_STATUSES),
    statusText: z.string(),
    reason: z.string().nullable().openapi({ description: "Why it was rejected, failed or cancelled." }),
    approvals: z.object({ required: z.number().int(), given: z.number().int() }),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
    packageInfo: z.string().nullable().openapi({ description: "While wait_user_confirm: pass to wx.requestMerchantTransfer as `package`." }),
    mchId: z.string().nullable(),
    appId: z.string().nullable(),
  })
  .openapi("Withdrawal");

export type WithdrawalView = z.infer<typeof WithdrawalSchema>;

/** A row of `withdrawals` as D1 returns it (snake_case). */
export type WithdrawalRow = {
  id: string; member_id: string; amount_fen: number; fee_fen: number; net_fen: number; dividends_fen: number; status: WithdrawalStatus; status_reason: string | null;
  day: string; requires_second_approval: number; first_approver_person: string | null; first_approver_id: string | null; first_approved_at: number | null;
  approver_person: string | null; approver_id: string | null; approved_at: number | null; rejected_by: string | null;
  transfer_bill_no: string | null; wechat_state: string | null; package_info: string | null; last_error: string | null;
  created_at: number; updated_at: number; finished_at: number | null;
};

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function withdrawalView(w: WithdrawalRow, payee: { mchId: string; appId: string }): WithdrawalView {
  const confirming = w.status === "wait_user_confirm" && w.package_info !== null;
  return {
    id: w.id, amountFen: w.amount_fen, feeFen: w.fee_fen, netFen: w.net_fen, status: w.status, statusText: STATUS_TEXT[w.status], reason: w.status_reason,
    approvals: { required: w.requires_second_approval ? 2 : 1, given: (w.first_approver_person ? 1 : 0) + (w.approver_person ? 1 : 0) },
    createdAt: iso(w.created_at)!, updatedAt: iso(w.updated_at)!, finishedAt: iso(w.finished_at),
    packageInfo: confirming ? w.package_info : null, mchId: confirming ? payee.mchId : null, appId: confirming ? payee.appId : null,
  };
}

const Cursor = z.tuple([cursorKey.timestampMs, z.string().regex(/^[A-Za-z0-9]{1,40}$/)]);
export const encodeWithdrawalCursor = (createdAtMs: number, id: string) => encodeCursor([createdAtMs, id]);
export function decodeWithdrawalCursor(cursor: string): { createdAtMs: number; id: string } | null {
  const key = decodeCursor(cursor, Cursor);
  return key ? { createdAtMs: key[0], id: key[1] } : null;
}
