import { auditStatement, auditStatementIf } from "../audit/log";
import type { Principal } from "../http/auth";
import type { Logger } from "../http/log";
import { ApiError } from "../http/problem";
import { transferStatements } from "../ledger/service";
import { HOLDS_ADMIN } from "../members/roles";
import { voidPostings, withdrawalLegsOf } from "./ledger-postings";
import { payeeApp } from "./requests";
import { sendTransfer } from "./transfer";
import { transitionGate } from "./transitions";
import { withdrawalView, type WithdrawalRow, type WithdrawalView } from "./views";

/**
 * Who decides, as a PERSON: a console user linked to a member and that member's bearer token are the same person
 * (`consolePrincipal` sets `memberId` to the linked member, or to the console user's own id when unlinked), so the
 * maker-checker rules compare `person`, never the credential. `credentialId` (console user or member) is audited.
 */
export type Decider = { person: string; credentialId: string; viaConsole: boolean; requestId?: string };

export function deciderOf(p: Principal, requestId?: string): Decider {
  return { person: p.memberId, credentialId: p.adminId ?? p.memberId, viaConsole: p.adminId !== undefined, requestId };
}

const changedMeanwhile = () => ApiError.conflict("withdrawal-changed", "The withdrawal changed while you were deciding; reload and try again.");

/** The withdrawal, with whether its member's account is blocked (封禁) now. */
async function load(d1: D1Database, id: string): Promise<WithdrawalRow & { payee_blocked: number }> {
  const w = await d1
    .prepare("SELECT w.*, EXISTS (SELECT 1 FROM members m WHERE m.id = w.member_id AND m.blocked_at IS NOT NULL) AS payee_blocked FROM withdrawals w WHERE w.id = ?")
    .bind(id)
    .first<WithdrawalRow & { payee_blocked: number }>();
  if (!w) throw ApiError.notFound("No such withdrawal.");
  return w;
}

function mustBePendingAndNotOwn(w: WithdrawalRow, by: Decider) {
  if (w.member_id === by.person) throw new ApiError(403, "own-withdrawal", "Nobody decides their own withdrawal; another admin must.", undefined, "Own withdrawal");
  if (w.status !== "pending") throw ApiError.conflict("withdrawal-already-decided", `The withdrawal is already ${w.status}.`);
}

/** No money goes out to a blocked account: its pending withdrawals can only be rejected (which returns the funds). */
const PAYEE_NOT_BLOCKED = "NOT EXISTS (SELECT 1 FROM members m WHERE m.id = withdrawals.member_id AND m.blocked_at IS NOT NULL)";

/** Console users are vouched for by their session; a bearer caller must still hold the admin role in D1. */
const stillAdmin = (by: Decider) => (by.viaConsole ? { sql: "1", args: [] as string[] } : { sql: HOLDS_ADMIN, args: [by.person] });

/**
 * Approves a withdrawal. Below the second-approval threshold one admin suffices; from it on, the first approval is
 * recorded and a second, DIFFERENT person must approve too. Nobody approves their own withdrawal. The final
 * approval moves it to `approved` (audited in the same batch) and creates the WeChat merchant transfer.
 */
export async function approveWithdrawal(env: Env, id: string, by: Decider, log: Logger, now = new Date()): Promise<WithdrawalView> {
  const d1 = env.DB;
  const w = await load(d1, id);
  mustBePendingAndNotOwn(w, by);
  if (w.payee_blocked) throw ApiError.conflict("payee-blocked", "The member's account is blocked; reject the withdrawal to return the funds.");
  const t = now.getTime();
  const admin = stillAdmin(by);

  if (w.requires_second_approval && !w.first_approver_person) {
    const [first] = await d1.batch([
      d1.prepare(
        `UPDATE withdrawals SET first_approver_person = ?2, first_approver_id = ?3, first_approved_at = ?4, updated_at = ?4
         WHERE id = ?1 AND status = 'pending' AND first_approver_person IS NULL AND member_id != ?2 AND ${PAYEE_NOT_BLOCKED} AND ${admin.sql}`,
      ).bind(w.id, by.person, by.credentialId, t, ...admin.args),
      auditStatementIf(d1, {
        actorId: by.credentialId, actorKind: "admin", action: "withdrawal.first_approval", targetType: "withdrawal", targetId: w.id, requestId: by.requestId,
        before: { status: "pending", approvals: 0 }, after: { status: "pending", approvals: 1, person: by.person },
      }, "EXISTS (SELECT 1 FROM withdrawals WHERE id = ? AND first_approver_person = ? AND first_approved_at = ?)", w.id, by.person, t),
    ]);
    if (first.meta.changes !== 1) throw by.viaConsole ? changedMeanwhile() : await notAdminOr(d1, by, changedMeanwhile());
    log.info("withdrawal first approval", { withdrawalId: w.id, person: by.person });
    return withdrawalView(await load(d1, w.id), payeeApp(env));
  }
  if (w.requires_second_approval && w.first_approver_person === by.person) {
    throw ApiError.conflict("second-approver-must-differ", "This withdrawal needs a second approval by a different admin.");
  }

  const transitionId = crypto.randomUUID();
  try {
    await d1.batch([
      d1.prepare(
        `UPDATE withdrawals SET status = 'approved', approver_person = ?2, approver_id = ?3, approved_at = ?4, updated_at = ?4, transition_id = ?5
         WHERE id = ?1 AND status = 'pending' AND member_id != ?2
           AND (requires_second_approval = 0 OR (first_approver_person IS NOT NULL AND first_approver_person != ?2)) AND ${PAYEE_NOT_BLOCKED} AND ${admin.sql}`,
      ).bind(w.id, by.person, by.credentialId, t, transitionId, ...admin.args),
      auditStatement(d1, {
        actorId: by.credentialId, actorKind: "admin", action: "withdrawal.approved", targetType: "withdrawal", targetId: w.id, requestId: by.requestId,
        before: { status: "pending" }, after: { status: "approved", person: by.person, amountFen: w.amount_fen, netFen: w.net_fen },
      }),
      transitionGate(d1, w.id, "approved", transitionId, t),
    ]);
  } catch (e) {
    if (!/withdrawal_transitions_gate|UNIQUE constraint failed: withdrawal_transitions/.test(String((e as Error)?.message ?? e) + String((e as { cause?: unknown })?.cause ?? ""))) throw e;
    throw by.viaConsole ? changedMeanwhile() : await notAdminOr(d1, by, changedMeanwhile());
  }
  log.info("withdrawal approved", { withdrawalId: w.id, person: by.person, netFen: w.net_fen });
  try {
    await sendTransfer(env, await load(d1, w.id), log, now);
  } catch (e) {
    // The approval stands; the follow-up job sends (or finds) the transfer under the same out_bill_no.
    log.error("transfer not sent after approval; the job retries", { withdrawalId: w.id, error: String(e) });
  }
  return withdrawalView(await load(d1, w.id), payeeApp(env));
}

/** Rejects a pending withdrawal with a reason: the pending transfers are voided in the same batch, and it is audited. */
export async function rejectWithdrawal(env: Env, id: string, reason: string, by: Decider, log: Logger, now = new Date()): Promise<WithdrawalView> {
  const d1 = env.DB;
  const w = await load(d1, id);
  mustBePendingAndNotOwn(w, by);
  const t = now.getTime();
  const admin = stillAdmin(by);
  const transitionId = crypto.randomUUID();
  try {
    await d1.batch([
      d1.prepare(
        `UPDATE withdrawals SET status = 'rejected', status_reason = ?2, rejected_by = ?3, transition_id = ?4, finished_at = ?5, updated_at = ?5
         WHERE id = ?1 AND status = 'pending' AND member_id != ?6 AND ${admin.sql}`,
      ).bind(w.id, reason, by.credentialId, transitionId, t, by.person, ...admin.args),
      ...transferStatements(d1, voidPostings(withdrawalLegsOf(w)), now),
      auditStatement(d1, {
        actorId: by.credentialId, actorKind: "admin", action: "withdrawal.rejected", targetType: "withdrawal", targetId: w.id, requestId: by.requestId,
        before: { status: "pending" }, after: { status: "rejected", reason, person: by.person },
      }),
      transitionGate(d1, w.id, "rejected", transitionId, t),
    ]);
  } catch (e) {
    log.info("reject refused", { withdrawalId: w.id, error: String(e).slice(0, 200) });
    throw by.viaConsole ? changedMeanwhile() : await notAdminOr(d1, by, changedMeanwhile());
  }
  log.info("withdrawal rejected", { withdrawalId: w.id, person: by.person });
  return withdrawalView(await load(d1, w.id), payeeApp(env));
}

async function notAdminOr(d1: D1Database, by: Decider, otherwise: ApiError): Promise<ApiError> {
  const row = await d1.prepare(`SELECT ${HOLDS_ADMIN} AS ok`).bind(by.person).first<{ ok: number }>();
  return row?.ok ? otherwise : ApiError.forbidden("Your admin role was revoked.");
}
