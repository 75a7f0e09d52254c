import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fetchWorker, loginSession, ORIGIN, seedAdmin } from "../admin/support";
import { availableFen, checkLedgerAfterEach, earn, seedPerson, setRule, withdraw, withdrawalRow } from "./support";

checkLedgerAfterEach();

const page = async (cookie: string, path: string) => {
  const res = await fetchWorker(path, { headers: { cookie } });
  return { status: res.status, html: await res.text(), headers: res.headers };
};

function post(session: { cookie: string; csrf: string }, path: string, fields: Record<string, string>) {
  return fetchWorker(path, {
    method: "POST",
    headers: { cookie: session.cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ _csrf: session.csrf, ...fields }),
  });
}

describe("提现审核 in the console", () => {
  it("lists the queue, shows a payout with hints and its ledger transfers, and two admins approve a large one", async () => {
    await setRule("secondApprovalFromFen", 10_000);
    const p = await seedPerson("pc-big");
    await earn("pc-big", 20_000);
    const w = (await withdraw(p, 15_000)).body;
    await seedAdmin("ann");
    await seedAdmin("bob");
    const ann = await loginSession("ann");
    const bob = await loginSession("bob");

    const queue = await page(ann.cookie, "/admin/payouts");
    expect(queue.status).toBe(200);
    expect(queue.html).toContain(w.id);
    expect(queue.html).toContain("提现审核");

    const detail = await page(ann.cookie, `/admin/payouts/${w.id}`);
    expect(detail.html).toContain("该会员的首次提现。");
    expect(detail.html).toContain("新注册账户");
    expect(detail.html).toContain("需两位不同的管理员先后通过");
    expect(detail.html).toContain(`withdrawal:${w.id}:net`);
    expect(detail.html).toContain("¥50.00"); // still available

    expect((await post(ann, `/admin/payouts/${w.id}/approve`, {})).status).toBe(422);
    const first = await post(ann, `/admin/payouts/${w.id}/approve`, { confirm: "yes" });
    expect(first.status).toBe(303);
    expect((await page(ann.cookie, first.headers.get("location")!)).html).toContain("等待另一位管理员复核");
    const again = await post(ann, `/admin/payouts/${w.id}/approve`, { confirm: "yes" });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain("需要另一位管理员复核");
    expect((await post(bob, `/admin/payouts/${w.id}/approve`, { confirm: "yes" })).status).toBe(303);
    expect(await withdrawalRow(w.id)).toMatchObject({ status: "wait_user_confirm", first_approver_id: "adm_ann", approver_id: "adm_bob" });
    const audited = await env.DB.prepare("SELECT actor_id, action FROM audit_log WHERE target_id = ? ORDER BY id").bind(w.id).all();
    expect(audited.results).toEqual([
      { actor_id: "pc-big", action: "withdrawal.requested" },
      { actor_id: "adm_ann", action: "withdrawal.first_approval" },
      { actor_id: "adm_bob", action: "withdrawal.approved" },
    ]);
    await setRule("secondApprovalFromFen", 500_000);
  });

  it("rejects with a reason from the console; a console user linked to the payee cannot decide", async () => {
    const self = await seedPerson("pc-self");
    await earn("pc-self", 5_000);
    const own = (await withdraw(self, 1_000)).body;
    await seedAdmin("carl", { memberId: "pc-self" });
    const carl = await loginSession("carl");
    const ownPage = await page(carl.cookie, `/admin/payouts/${own.id}`);
    expect(ownPage.html).toContain("这是你本人的提现");
    expect(ownPage.html).not.toContain('data-testid="approve-form"');
    expect((await post(carl, `/admin/payouts/${own.id}/approve`, { confirm: "yes" })).status).toBe(403);
    expect((await post(carl, `/admin/payouts/${own.id}/reject`, { reason: "x" })).status).toBe(403);

    await seedAdmin("dina");
    const dina = await loginSession("dina");
    expect((await post(dina, `/admin/payouts/${own.id}/reject`, { reason: "" })).status).toBe(422);
    const res = await post(dina, `/admin/payouts/${own.id}/reject`, { reason: "资料不全" });
    expect(res.status).toBe(303);
    expect(await withdrawalRow(own.id)).toMatchObject({ status: "rejected", status_reason: "资料不全", rejected_by: "adm_dina" });
    expect(await availableFen("pc-self")).toBe(5_000);
  });

  it("exports a date range as CSV for finance, with formula-like cells escaped", async () => {
    const p = await seedPerson("pc-csv");
    await env.DB.prepare("UPDATE members SET nickname = ? WHERE id = 'pc-csv'").bind('=HYPERLINK("http://evil","点我")').run();
    await earn("pc-csv", 5_000);
    const w = (await withdraw(p, 2_000)).body;
    await seedAdmin("eve");
    const eve = await loginSession("eve");
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const csv = await page(eve.cookie, `/admin/payouts/export.csv?from=${today}&to=${today}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const line = csv.html.split("\r\n").find((l) => l.includes(w.id))!;
    expect(line).toContain(`"'=HYPERLINK(""http://evil"",""点我"")"`);
    expect(line).toContain('"20.00","0.20","19.80","待审核"');
    expect((await page(eve.cookie, "/admin/payouts/export.csv?from=2026-01-01&to=2025-01-01")).status).toBe(400);
    expect((await page(eve.cookie, "/admin/payouts/export.csv?from=2020-01-01&to=2026-01-01")).status).toBe(400);
  });

  it("shows the payout figures on the dashboard", async () => {
    await seedAdmin("fay");
    const fay = await loginSession("fay");
    const html = (await page(fay.cookie, "/admin")).html;
    expect(html).toContain('data-testid="payouts-awaiting"');
    expect(html).toContain("待审核提现");
    expect(html).toContain("可提现佣金");
    expect(html).toContain("今日已到账提现");
  });
});
