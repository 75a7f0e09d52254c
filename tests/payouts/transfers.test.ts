import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { followUpTransfers } from "../../worker/payouts/jobs";
import {
  api, approve, availableFen, balanceOf, checkLedgerAfterEach, deliver, earn, finishTransfer, sandbox, sandboxBill, seedPerson, withdraw, withdrawalRow,
} from "./support";

checkLedgerAfterEach();

async function approvedWithdrawal(member: string, amountFen: number, opts: { fault?: string } = {}) {
  const admin = await seedPerson(`a-${member}`, { admin: true });
  const p = await seedPerson(member);
  await earn(member, amountFen);
  const w = (await withdraw(p, amountFen)).body;
  if (opts.fault) await sandbox(`/sandbox/transfer-bills/${w.id}/fault`, { kind: opts.fault });
  const approved = await approve(admin, w.id);
  expect(approved.status).toBe(200);
  return { p, id: w.id as string, approved: approved.body };
}

describe("paying a withdrawal through a WeChat merchant transfer", () => {
  it("approval creates the transfer bill; the member confirms; SUCCESS pays out once however often it arrives", async () => {
    const { p, id, approved } = await approvedWithdrawal("p-pay", 5_000);
    expect(approved).toMatchObject({ status: "wait_user_confirm", statusText: "待确认收款", netFen: 4_950, mchId: "1900000001", appId: "wx0000000000sandbox" });
    expect(approved.packageInfo).toEqual(expect.any(String));
    const bill = await sandboxBill(id);
    expect(bill).toMatchObject({ out_bill_no: id, transfer_amount: 4_950, openid: "openid-p-pay", transfer_scene_id: "1005", package_info: approved.packageInfo });
    expect(bill?.user_name).toBeUndefined();

    const n = await finishTransfer(id, "SUCCESS");
    expect(n.url).toBe("https://partners.test/api/pay/transfer-notify");
    const deliveries = await Promise.all([deliver(n), deliver(n), deliver(n)]);
    expect(deliveries.map((r) => r.status)).toEqual([204, 204, 204]);
    expect((await deliver(n)).status).toBe(204);

    const seen = (await api(`/api/partner/withdrawals/${id}`, p)).body;
    expect(seen).toMatchObject({ status: "paid", statusText: "已到账", packageInfo: null });
    expect(await availableFen("p-pay")).toBe(0);
    expect(await balanceOf("payout_in_flight:p-pay")).toMatchObject({ credits_posted: 4_950, debits_posted: 4_950, credits_pending: 0 });
    expect(await balanceOf("fees")).toMatchObject({ credits_posted: 50, credits_pending: 0 });
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM transfers WHERE id = ?").bind(`withdrawal:${id}:paid`).first("n"))).toBe(1);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'withdrawal.paid' AND target_id = ?").bind(id).first("n"))).toBe(1);
  });

  it("FAIL gives the money back once; a late SUCCESS for the same bill changes nothing", async () => {
    const { id } = await approvedWithdrawal("p-fail", 2_000);
    const fail = await finishTransfer(id, "FAIL");
    expect((await deliver(fail)).status).toBe(204);
    expect((await deliver(fail)).status).toBe(204);
    expect(await withdrawalRow(id)).toMatchObject({ status: "failed" });
    expect((await withdrawalRow(id))?.status_reason).toContain("微信转账失败");
    expect(await availableFen("p-fail")).toBe(2_000);
    // Out of order: a forged-by-nobody but stale-state notification (the sandbox keeps the final FAIL) is ignored.
    const again = await finishTransfer(id, "SUCCESS");
    expect((await deliver(again)).status).toBe(204);
    expect(await withdrawalRow(id)).toMatchObject({ status: "failed" });
  });

  it("CANCELLED voids the reservation; notifications arriving before the create answer was recorded still settle", async () => {
    const { id } = await approvedWithdrawal("p-cancel", 3_000);
    const cancelled = await finishTransfer(id, "CANCELLED");
    await env.DB.prepare("UPDATE withdrawals SET status = 'approved', package_info = NULL WHERE id = ?").bind(id).run();
    expect((await deliver(cancelled)).status).toBe(204);
    expect((await deliver(cancelled)).status).toBe(204);
    expect(await withdrawalRow(id)).toMatchObject({ status: "cancelled", status_reason: "转账已撤销" });
    expect(await availableFen("p-cancel")).toBe(3_000);
  });

  it("refuses forged or mismatching notifications and writes nothing", async () => {
    const { id } = await approvedWithdrawal("p-forged", 1_000);
    const n = await finishTransfer(id, "SUCCESS");
    expect((await deliver(n, { headers: { "wechatpay-signature": "AAAA" } })).status).toBe(401);
    const other = await sandbox("/sandbox/notifications", {
      event_type: "MCHTRANSFER.BILL.FINISHED", deliver: false, notify_url: "https://partners.test/api/pay/transfer-notify",
      resource: { out_bill_no: id, state: "SUCCESS", mch_id: "1900000001", transfer_amount: 999_999 },
    });
    expect((await deliver(other)).status).toBe(400);
    expect(await withdrawalRow(id)).toMatchObject({ status: "wait_user_confirm" });
    expect((await deliver(n)).status).toBe(204);
  });

  it("a lost create answer is recovered by querying the same out_bill_no", async () => {
    const { id, approved } = await approvedWithdrawal("p-lost", 1_500, { fault: "lose-answer" });
    expect(approved).toMatchObject({ status: "wait_user_confirm" });
    expect(approved.packageInfo).toEqual(expect.any(String));
    expect((await withdrawalRow(id))?.last_error).toContain("SYSTEM_ERROR");
  });

  it("a create WeChat never received is sent again by the job under the same out_bill_no", async () => {
    const { id, approved } = await approvedWithdrawal("p-resend", 1_500, { fault: "http-500" });
    expect(approved).toMatchObject({ status: "approved" });
    expect(await sandboxBill(id)).toBeNull();
    const summary = await followUpTransfers(env, new Date(Date.now() + 10 * 60_000));
    expect(summary.resent).toBeGreaterThanOrEqual(1);
    expect(await withdrawalRow(id)).toMatchObject({ status: "wait_user_confirm" });
    expect((await sandboxBill(id))?.out_bill_no).toBe(id);
  });

  it("a definite refusal with no bill at WeChat ends the withdrawal and gives the money back", async () => {
    const { id, approved } = await approvedWithdrawal("p-refused", 1_200, { fault: "error:INVALID_REQUEST" });
    expect(approved).toMatchObject({ status: "failed" });
    expect(await availableFen("p-refused")).toBe(1_200);
  });

  it("a transfer the member has not confirmed within 24 h is cancelled, and the money returns", async () => {
    const { id } = await approvedWithdrawal("p-24h", 2_500);
    await followUpTransfers(env, new Date(Date.now() + 6 * 60_000));
    expect(await withdrawalRow(id)).toMatchObject({ status: "wait_user_confirm" });
    const summary = await followUpTransfers(env, new Date(Date.now() + 24 * 3600_000 + 60_000));
    expect(summary.cancelled).toBeGreaterThanOrEqual(1);
    expect(await withdrawalRow(id)).toMatchObject({ status: "cancelled" });
    expect(await availableFen("p-24h")).toBe(2_500);
    expect((await sandboxBill(id))?.state).toBe("CANCELLED");
  });

  it("the job settles a transfer whose notification never came", async () => {
    const { id } = await approvedWithdrawal("p-quiet", 1_000);
    await finishTransfer(id, "SUCCESS"); // WeChat paid; the notification is lost
    await followUpTransfers(env, new Date(Date.now() + 10 * 60_000));
    expect(await withdrawalRow(id)).toMatchObject({ status: "paid" });
  });
});

describe("real name for transfers from ¥2,000", () => {
  it("is required, stored encrypted, shown masked, and sent to WeChat RSA-OAEP encrypted", async () => {
    const admin = await seedPerson("a-name", { admin: true });
    const p = await seedPerson("p-name");
    await earn("p-name", 300_000);
    expect((await withdraw(p, 250_000)).body.type).toBe("/problems/real-name-required");
    expect((await api("/api/partner/payee/real-name", p, { method: "POST", json: { realName: "<script>" } })).status).toBe(422);
    const set = await api("/api/partner/payee/real-name", p, { method: "POST", json: { realName: "欧阳娜娜" } });
    expect(set.body).toEqual({ realNameMasked: "***娜" });
    const stored = await env.DB.prepare("SELECT real_name_ciphertext FROM payee_profiles WHERE member_id = 'p-name'").first<{ real_name_ciphertext: string }>();
    expect(stored?.real_name_ciphertext).toMatch(/^v1\./);
    expect(stored?.real_name_ciphertext).not.toContain("欧阳");
    expect((await api("/api/partner/withdrawal-overview", p)).body.realNameMasked).toBe("***娜");

    const w = (await withdraw(p, 250_000)).body;
    expect(w).toMatchObject({ feeFen: 0, netFen: 250_000 });
    await approve(admin, w.id);
    await approve(await seedPerson("a-name-2", { admin: true }), w.id);
    expect(await sandboxBill(w.id)).toMatchObject({ user_name: "欧阳娜娜", transfer_amount: 250_000, state: "WAIT_USER_CONFIRM" });
  });
});

describe("conflicting outcomes", () => {
  it("SUCCESS and CANCELLED delivered at once for one bill: exactly one outcome, the ledger resolves once", async () => {
    const admin = await seedPerson("a-clash", { admin: true });
    const p = await seedPerson("p-clash");
    await earn("p-clash", 1_000);
    const w = (await withdraw(p, 1_000)).body;
    await approve(admin, w.id);
    const notice = (state: string) => sandbox("/sandbox/notifications", {
      event_type: "MCHTRANSFER.BILL.FINISHED", deliver: false, notify_url: "https://partners.test/api/pay/transfer-notify",
      resource: { out_bill_no: w.id, state, mch_id: "1900000001", transfer_amount: 990 },
    });
    const [ok, cancelled] = await Promise.all([notice("SUCCESS"), notice("CANCELLED")]);
    const statuses = await Promise.all([deliver(ok), deliver(cancelled), deliver(ok), deliver(cancelled)]);
    expect(statuses.every((r) => r.status === 204)).toBe(true);
    const row = await withdrawalRow(w.id);
    expect(["paid", "cancelled"]).toContain(row?.status);
    expect(await availableFen("p-clash")).toBe(row?.status === "paid" ? 0 : 1_000);
    const resolved = await env.DB.prepare("SELECT COUNT(*) AS n FROM transfers WHERE pending_id = ?").bind(`withdrawal:${w.id}:net`).first("n");
    expect(resolved).toBe(1);
  });
});
