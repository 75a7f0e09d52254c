import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { followUpTransfers } from "../../worker/payouts/jobs";
import { api, approve, availableFen, deliver, earn, finishTransfer, sandboxBill, seedPerson, withdrawalRow } from "../payouts/support";
import { LEDGER, breakStatement, checkLedgerAfterEach, snapshot, wechatFault } from "./support";

checkLedgerAfterEach();

/** The follow-up job acts on withdrawals quiet for 5 minutes; each run here is 10 minutes after the one before. */
let minutes = 0;
const LATER = () => new Date(Date.now() + (minutes += 10) * 60_000);
const BILLS = "/v3/fund-app/mch-transfer/transfer-bills";
const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;

/** The worker gives up on a WeChat call after 300 ms in this file's timeout test (a sandbox "timeout" answers later). */
const patience = (env as Env & { WECHATPAY_TIMEOUT_MS?: string }).WECHATPAY_TIMEOUT_MS;
afterEach(() => void Object.assign(env, { WECHATPAY_TIMEOUT_MS: patience }));

describe("faults in payouts", () => {
  it("a withdrawal request whose batch fails writes nothing, and the retry with the same Idempotency-Key creates it once", async () => {
    const p = await seedPerson("p-request");
    await earn("p-request", 3_000);
    const state = () => snapshot(...LEDGER, "SELECT * FROM withdrawals", "SELECT * FROM withdrawal_days");
    const before = await state();

    const fault = await breakStatement("audit_log", "INSERT", "NEW.action = 'withdrawal.requested'");
    const ask = () => api("/api/partner/withdrawals", p, { json: { amountFen: 2_000 }, headers: { "idempotency-key": "withdraw-once" } });
    expect((await ask()).status).toBeGreaterThanOrEqual(500);
    expect(await state()).toEqual(before);
    expect(await availableFen("p-request")).toBe(3_000);

    await fault.heal();
    const created = await ask();
    expect(created.status).toBe(201);
    const replay = await ask();
    expect(replay.body.id).toBe(created.body.id);
    expect(await count("SELECT count(*) AS n FROM withdrawals WHERE member_id = ?", "p-request")).toBe(1);
    expect(await availableFen("p-request")).toBe(1_000);
  });

  it("a withdrawal whose transfer call times out (and whose query fails) is finished by the follow-up job, paid once", async () => {
    const admin = await seedPerson("a-timeout", { admin: true });
    const p = await seedPerson("p-timeout");
    await earn("p-timeout", 4_000);
    const w = (await api("/api/partner/withdrawals", p, { json: { amountFen: 4_000 } })).body as { id: string; netFen: number };

    // WeChat makes the bill but answers too late; the query that follows meets an outage.
    Object.assign(env, { WECHATPAY_TIMEOUT_MS: "300" });
    await wechatFault({ path: BILLS, kind: "timeout", delayMs: 1500 });
    await wechatFault({ method: "GET", path: `${BILLS}/out-bill-no/${w.id}`, kind: "http-500" });
    const approved = await approve(admin, w.id);
    Object.assign(env, { WECHATPAY_TIMEOUT_MS: patience });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: "approved", packageInfo: null });
    expect((await withdrawalRow(w.id))?.last_error).toMatch(/NETWORK|abort|timed? ?out/i);
    expect(await sandboxBill(w.id)).toMatchObject({ out_bill_no: w.id, state: "WAIT_USER_CONFIRM" });

    // The job asks by the same out_bill_no and recovers the package for the member's confirmation.
    await followUpTransfers(env, LATER());
    expect(await withdrawalRow(w.id)).toMatchObject({ status: "wait_user_confirm", package_info: expect.any(String) });

    // The member confirms; the notification is lost; the job settles it, once.
    await finishTransfer(w.id, "SUCCESS");
    expect(await followUpTransfers(env, LATER())).toMatchObject({ settled: 1, failed: 0 });
    expect(await followUpTransfers(env, LATER())).toMatchObject({ settled: 0, resent: 0 });
    expect(await withdrawalRow(w.id)).toMatchObject({ status: "paid" });
    expect(await count("SELECT count(*) AS n FROM transfers WHERE id = ?", `withdrawal:${w.id}:paid`)).toBe(1);
    expect(await availableFen("p-timeout")).toBe(0);
  });

  it("a transfer notification whose settlement batch fails writes nothing; the redelivery pays once and the job finds nothing left", async () => {
    const admin = await seedPerson("a-tnotify", { admin: true });
    const p = await seedPerson("p-tnotify");
    await earn("p-tnotify", 2_500);
    const w = (await api("/api/partner/withdrawals", p, { json: { amountFen: 2_500 } })).body as { id: string };
    expect((await approve(admin, w.id)).body).toMatchObject({ status: "wait_user_confirm" });
    const notification = await finishTransfer(w.id, "SUCCESS");
    const state = () => snapshot(...LEDGER, "SELECT id, status, finished_at FROM withdrawals");
    const before = await state();

    const fault = await breakStatement("transfers", "INSERT", `NEW.id = 'withdrawal:${w.id}:paid'`);
    expect((await deliver(notification)).status).toBeGreaterThanOrEqual(500);
    expect(await followUpTransfers(env, LATER())).toMatchObject({ settled: 0, failed: 1 });
    expect(await state()).toEqual(before);

    await fault.heal();
    expect((await deliver(notification)).status).toBe(204);
    expect(await followUpTransfers(env, LATER())).toMatchObject({ settled: 0, failed: 0 });
    expect(await withdrawalRow(w.id)).toMatchObject({ status: "paid" });
    expect(await count("SELECT count(*) AS n FROM transfers WHERE id = ?", `withdrawal:${w.id}:paid`)).toBe(1);
  });
});
