import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditRows, fetchWorker, loginSession, ORIGIN, seedAdmin } from "../admin/support";
import { api, approve, availableFen, checkLedgerAfterEach, earn, reject, seedPerson, setRule, withdraw, withdrawalRow } from "./support";

checkLedgerAfterEach();

/** The console's cookie calling the admin API, as a console page's script does. */
async function consoleCall(session: { cookie: string; csrf: string }, path: string, json?: unknown) {
  const res = await fetchWorker(path, {
    method: "POST",
    headers: { cookie: session.cookie, "x-csrf-token": session.csrf, origin: ORIGIN, ...(json ? { "content-type": "application/json" } : {}) },
    body: json ? JSON.stringify(json) : undefined,
  });
  return { status: res.status, body: await res.json<any>() };
}

describe("deciding a withdrawal", () => {
  it("a rejection with a reason voids the reservation: the money is available again, and it is audited", async () => {
    const admin = await seedPerson("a-rej", { admin: true });
    const p = await seedPerson("p-rej");
    await earn("p-rej", 3_000);
    const w = (await withdraw(p, 2_000)).body;
    expect(await availableFen("p-rej")).toBe(1_000);
    expect((await reject(admin, w.id, "")).status).toBe(422);
    const res = await reject(admin, w.id, "信息不完整");
    expect(res.body).toMatchObject({ status: "rejected", statusText: "已驳回", reason: "信息不完整" });
    expect(await availableFen("p-rej")).toBe(3_000);
    expect((await approve(admin, w.id)).body.type).toBe("/problems/withdrawal-already-decided");
    expect((await reject(admin, w.id, "again")).body.type).toBe("/problems/withdrawal-already-decided");
    const audit = await auditRows("withdrawal.rejected");
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: "a-rej", actor_kind: "admin", target_id: w.id });
    const seen = (await api(`/api/partner/withdrawals/${w.id}`, p)).body;
    expect(seen).toMatchObject({ status: "rejected", reason: "信息不完整" });
  });

  it("no money goes to a blocked account: its withdrawal cannot be approved, only rejected, which returns the funds", async () => {
    const admin = await seedPerson("a-blk", { admin: true });
    const p = await seedPerson("p-blk");
    await earn("p-blk", 3_000);
    const w = (await withdraw(p, 2_000)).body;
    await env.DB.prepare("UPDATE members SET blocked_at = ? WHERE id = 'p-blk'").bind(Date.now()).run();
    const refused = await approve(admin, w.id);
    expect(refused.status).toBe(409);
    expect(refused.body.type).toBe("/problems/payee-blocked");
    expect(await withdrawalRow(w.id)).toMatchObject({ status: "pending", approver_person: null, transfer_bill_no: null });
    expect((await auditRows("withdrawal.approved")).filter((r) => r.target_id === w.id)).toHaveLength(0);
    expect((await reject(admin, w.id, "账号已停用")).body).toMatchObject({ status: "rejected" });
    expect(await availableFen("p-blk")).toBe(3_000);
  });

  it("from the threshold on, a second and different admin must approve", async () => {
    await setRule("secondApprovalFromFen", 10_000);
    const a1 = await seedPerson("a-two-1", { admin: true });
    const a2 = await seedPerson("a-two-2", { admin: true });
    const p = await seedPerson("p-two");
    await earn("p-two", 50_000);
    const w = (await withdraw(p, 10_000)).body;
    expect(w.approvals).toEqual({ required: 2, given: 0 });

    const first = await approve(a1, w.id);
    expect(first.body).toMatchObject({ status: "pending", approvals: { required: 2, given: 1 } });
    expect((await approve(a1, w.id)).body.type).toBe("/problems/second-approver-must-differ");
    const second = await approve(a2, w.id);
    expect(second.body).toMatchObject({ status: "wait_user_confirm", approvals: { required: 2, given: 2 } });
    expect((await auditRows("withdrawal.first_approval")).map((r) => r.actor_id)).toEqual(["a-two-1"]);
    expect((await auditRows("withdrawal.approved")).map((r) => r.actor_id)).toEqual(["a-two-2"]);

    // Below the threshold one approval is enough.
    const small = (await withdraw(p, 9_999)).body;
    expect((await approve(a1, small.id)).body).toMatchObject({ status: "wait_user_confirm", approvals: { required: 1, given: 1 } });
    await setRule("secondApprovalFromFen", 500_000);
  });

  it("nobody approves their own withdrawal: not by bearer token, not from the console, not through a linked member", async () => {
    await setRule("secondApprovalFromFen", 10_000);
    const self = await seedPerson("a-self", { admin: true, tier: "channel_partner" });
    await earn("a-self", 50_000);
    const small = (await withdraw(self, 1_000)).body;
    const big = (await withdraw(self, 20_000)).body;

    // By bearer token.
    const byBearer = await approve(self, small.id);
    expect(byBearer.status).toBe(403);
    expect(byBearer.body.type).toBe("/problems/own-withdrawal");

    // From the console, as a console user linked to the same member.
    await seedAdmin("selfie", { memberId: "a-self" });
    const session = await loginSession("selfie");
    const byConsole = await consoleCall(session, `/api/admin/withdrawals/${small.id}/approve`);
    expect(byConsole.status).toBe(403);

    // A linked console user approves first; the same person's bearer token cannot be the second approver…
    const other = await seedPerson("a-other", { admin: true });
    await seedAdmin("otto", { memberId: "a-other" });
    const otto = await loginSession("otto");
    expect((await consoleCall(otto, `/api/admin/withdrawals/${big.id}/approve`)).body).toMatchObject({ approvals: { given: 1 } });
    expect((await approve(other, big.id)).body.type).toBe("/problems/second-approver-must-differ");
    // …nor can the payee themselves.
    expect((await approve(self, big.id)).status).toBe(403);
    expect((await withdrawalRow(big.id))).toMatchObject({ status: "pending", first_approver_person: "a-other", first_approver_id: "adm_otto" });
    await setRule("secondApprovalFromFen", 500_000);
  });

  it("a bearer token whose admin role was revoked in the database decides nothing", async () => {
    const stale = await seedPerson("a-stale", { admin: true });
    const p = await seedPerson("p-stale");
    await earn("p-stale", 1_000);
    const w = (await withdraw(p, 1_000)).body;
    await env.DB.prepare("UPDATE members SET roles = '[]' WHERE id = 'a-stale'").run();
    expect((await reject(stale, w.id, "no")).status).toBe(403);
    expect((await approve(stale, w.id)).status).toBe(403);
    expect((await withdrawalRow(w.id))?.status).toBe("pending");
  });

  it("concurrent approve and reject: exactly one wins", async () => {
    const a1 = await seedPerson("a-race-1", { admin: true });
    const a2 = await seedPerson("a-race-2", { admin: true });
    const p = await seedPerson("p-race-dec");
    await earn("p-race-dec", 1_000);
    const w = (await withdraw(p, 1_000)).body;
    const [ap, rj] = await Promise.all([approve(a1, w.id), reject(a2, w.id, "重复")]);
    expect([ap.status, rj.status].sort()).toEqual([200, 409]);
    const row = await withdrawalRow(w.id);
    expect(await availableFen("p-race-dec")).toBe(row?.status === "rejected" ? 1_000 : 0);
  });
});
