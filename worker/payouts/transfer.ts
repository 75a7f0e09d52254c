import { auditStatement } from "../audit/log";
import type { Logger } from "../http/log";
import { openPii } from "../http/pii";
import { ApiError } from "../http/problem";
import { transferStatements } from "../ledger/service";
import { WechatPayError, wechatPayConfig } from "../wechat/pay/client";
import {
  createTransferBill, queryTransferBill, REAL_NAME_REQUIRED_FROM_FEN, type TransferBill, type TransferBillResource,
} from "../wechat/pay/transfers";
import { paidPostings, voidPostings, withdrawalLegsOf } from "./ledger-postings";
import { TRANSFER_SCENE } from "./rules";
import { transitionGate } from "./transitions";
import { AT_WECHAT_STATUSES, type WithdrawalRow } from "./views";

export const TRANSFER_NOTIFY_PATH = "/api/pay/transfer-notify";

/** WeChat codes that mean "try the same bill again later", not "this bill will never be made". */
const RETRYABLE_CODES = new Set(["SYSTEM_ERROR", "NOT_ENOUGH", "FREQUENCY_LIMITED", "NETWORK", "UNVERIFIED_RESPONSE", "BAD_JSON", "BAD_ANSWER", "UNKNOWN"]);

const wechatReason: Record<string, string> = {
  FAIL: "微信转账失败",
  CANCELLED: "转账已撤销",
};

/**
 * Sends (or resends) the merchant transfer of an approved withdrawal, with out_bill_no = the withdrawal id.
 * WeChat's rule: after an error or an unknown answer, ask for the SAME out_bill_no — never a new number — so a
 * lost answer cannot turn into a second payment. The outcome is recorded; nothing here throws at the approver.
 */
export async function sendTransfer(env: Env, w: WithdrawalRow, log: Logger, now = new Date()): Promise<void> {
  const config = wechatPayConfig(env);
  const d1 = env.DB;
  const [member, profile] = await d1.batch([
    d1.prepare("SELECT openid FROM members WHERE id = ?").bind(w.member_id),
    d1.prepare("SELECT real_name_ciphertext FROM payee_profiles WHERE member_id = ?").bind(w.member_id),
  ]);
  const openid = (member.results[0] as { openid: string } | undefined)?.openid;
  if (!openid) throw new Error(`withdrawal ${w.id}: member ${w.member_id} has no openid`);
  const sealedName = (profile.results[0] as { real_name_ciphertext: string } | undefined)?.real_name_ciphertext;
  const realName = w.net_fen >= REAL_NAME_REQUIRED_FROM_FEN && sealedName ? await openPii(env, `real_name:${w.member_id}`, sealedName) : undefined;

  const create = () => createTransferBill(config, {
    outBillNo: w.id, openid, amountFen: w.net_fen, remark: TRANSFER_SCENE.remark, realName, sceneId: TRANSFER_SCENE.sceneId,
    sceneReportInfos: [...TRANSFER_SCENE.reportInfos], userRecvPerception: TRANSFER_SCENE.userRecvPerception, notifyPath: TRANSFER_NOTIFY_PATH,
  });
  let bill: TransferBill | null = null;
  try {
    bill = await create();
  } catch (e) {
    const code = e instanceof WechatPayError ? e.wechatCode : "UNKNOWN";
    log.warn("transfer bill create failed; querying the same out_bill_no", { withdrawalId: w.id, error: String(e) });
    await d1.prepare("UPDATE withdrawals SET last_error = ?, updated_at = ? WHERE id = ?").bind(String(e).slice(0, 300), now.getTime(), w.id).run();
    try {
      bill = await queryTransferBill(config, w.id);
    } catch (q) {
      log.warn("transfer bill query failed; the job asks again", { withdrawalId: w.id, error: String(q) });
      return;
    }
    if (!bill) {
      // WeChat has no such bill. A definite refusal ends the withdrawal (the money is available again);
      // anything else is retried by the job with the same out_bill_no.
      const definite = e instanceof WechatPayError && e.httpStatus >= 400 && e.httpStatus < 500 && !RETRYABLE_CODES.has(code);
      if (definite) await settleWithdrawal(env, w.id, "failed", `微信拒绝转账（${code}）`, { actor: "wechat-transfer" }, log, now);
      return;
    }
    if (bill.state === "WAIT_USER_CONFIRM" && !bill.package_info) {
      // A query answer carries no package_info; the create, repeated with the SAME out_bill_no, answers the
      // existing bill with it (WeChat never makes a second bill for one number).
      try {
        bill = await create();
      } catch (again) {
        log.warn("package_info not recovered yet; the job asks again", { withdrawalId: w.id, error: String(again) });
      }
    }
  }
  await applyTransferBill(env, w.id, bill, log, now);
}

/**
 * Records what WeChat says about a bill (a create answer, a query answer or a verified notification): a final
 * state settles the withdrawal once; the others move its status and keep the package for the member's confirmation.
 */
export async function applyTransferBill(env: Env, withdrawalId: string, bill: TransferBill | TransferBillResource, log: Logger, now = new Date()): Promise<string> {
  const d1 = env.DB;
  const t = now.getTime();
  switch (bill.state) {
    case "SUCCESS":
      return settleWithdrawal(env, withdrawalId, "paid", null, { actor: "wechat-transfer", billNo: bill.transfer_bill_no }, log, now);
    case "FAIL":
      return settleWithdrawal(env, withdrawalId, "failed", bill.fail_reason ? `${wechatReason.FAIL}（${bill.fail_reason}）` : wechatReason.FAIL, { actor: "wechat-transfer", billNo: bill.transfer_bill_no }, log, now);
    case "CANCELLED":
      return settleWithdrawal(env, withdrawalId, "cancelled", wechatReason.CANCELLED, { actor: "wechat-transfer", billNo: bill.transfer_bill_no }, log, now);
    case "WAIT_USER_CONFIRM": {
      const pkg = "package_info" in bill ? bill.package_info ?? null : null;
      await d1.prepare(
        `UPDATE withdrawals SET status = 'wait_user_confirm', wechat_state = ?2, transfer_bill_no = COALESCE(?3, transfer_bill_no),
           package_info = COALESCE(?4, package_info), updated_at = ?5 WHERE id = ?1 AND status IN ('approved', 'wait_user_confirm')`,
      ).bind(withdrawalId, bill.state, bill.transfer_bill_no ?? null, pkg, t).run();
      return "wait_user_confirm";
    }
    case "PROCESSING":
    case "TRANSFERING":
      await d1.prepare(
        `UPDATE withdrawals SET status = 'transferring', wechat_state = ?2, transfer_bill_no = COALESCE(?3, transfer_bill_no), updated_at = ?4
         WHERE id = ?1 AND status IN ('approved', 'wait_user_confirm', 'transferring')`,
      ).bind(withdrawalId, bill.state, bill.transfer_bill_no ?? null, t).run();
      return "transferring";
    default:
      // ACCEPTED, CANCELING: WeChat is still working on it; the notification or the job's query finishes it.
      await d1.prepare("UPDATE withdrawals SET wechat_state = ?2, transfer_bill_no = COALESCE(?3, transfer_bill_no), updated_at = ?4 WHERE id = ?1 AND status IN ('approved', 'wait_user_confirm', 'transferring')")
        .bind(withdrawalId, String(bill.state ?? ""), bill.transfer_bill_no ?? null, t).run();
      return "unchanged";
  }
}

/**
 * Ends a withdrawal that is at WeChat: `paid` posts the reservation and pays the net amount out of our WeChat
 * balance; `failed` / `cancelled` void it, so the amount (fee included) is available again.
 *
 * Why it takes effect once, however often or out of order WeChat's answers arrive: the UPDATE only moves a
 * withdrawal still at WeChat and stamps it with this batch's transition id; the gate row inserted last fails its
 * CHECK unless the stamp is there; and the ledger refuses to resolve a pending transfer twice. A losing batch rolls
 * back whole.
 */
export async function settleWithdrawal(
  env: Env, withdrawalId: string, outcome: "paid" | "failed" | "cancelled", reason: string | null,
  by: { actor: string; billNo?: string }, log: Logger, now = new Date(),
): Promise<string> {
  const d1 = env.DB;
  const w = await d1.prepare("SELECT * FROM withdrawals WHERE id = ?").bind(withdrawalId).first<WithdrawalRow>();
  if (!w) throw ApiError.notFound(`No withdrawal ${withdrawalId.slice(0, 40)}.`);
  if (!AT_WECHAT_STATUSES.includes(w.status)) {
    if (w.status !== outcome) log.warn("transfer outcome for a withdrawal already ended; ignored", { withdrawalId, status: w.status, outcome });
    return "already";
  }
  const transitionId = crypto.randomUUID();
  const t = now.getTime();
  const legs = withdrawalLegsOf(w);
  try {
    await d1.batch([
      d1.prepare(
        `UPDATE withdrawals SET status = ?2, status_reason = ?3, wechat_state = ?4, transfer_bill_no = COALESCE(?5, transfer_bill_no),
           package_info = NULL, transition_id = ?6, finished_at = ?7, updated_at = ?7
         WHERE id = ?1 AND status IN ('approved', 'wait_user_confirm', 'transferring')`,
      ).bind(w.id, outcome, reason, { paid: "SUCCESS", failed: "FAIL", cancelled: "CANCELLED" }[outcome], by.billNo ?? null, transitionId, t),
      ...transferStatements(d1, outcome === "paid" ? paidPostings(legs) : voidPostings(legs), now),
      auditStatement(d1, {
        actorId: by.actor, actorKind: "system", action: `withdrawal.${outcome}`, targetType: "withdrawal", targetId: w.id,
        before: { status: w.status }, after: { status: outcome, reason },
      }),
      transitionGate(d1, w.id, outcome, transitionId, t),
    ]);
  } catch (e) {
    const again = await d1.prepare("SELECT status FROM withdrawals WHERE id = ?").bind(w.id).first<{ status: string }>();
    if (again && !AT_WECHAT_STATUSES.includes(again.status as WithdrawalRow["status"])) {
      log.info("concurrent settlement rolled back; the withdrawal was already settled", { withdrawalId: w.id, status: again.status, outcome });
      return "already";
    }
    throw e;
  }
  log.info("withdrawal settled", { withdrawalId: w.id, outcome, netFen: w.net_fen });
  return outcome;
}
