import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { executeTransfers } from "../../worker/ledger/service";
import { fetchWorker, loginSession, ORIGIN, seedAdmin } from "../admin/support";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { paySubscription, roundRow, seedMembers, subscribe } from "./support";

type Session = Awaited<ReturnType<typeof loginSession>>;

const post = (s: Session, path: string, fields: Record<string, string | string[]>) => {
  const body = new URLSearchParams({ _csrf: s.csrf });
  for (const [k, v] of Object.entries(fields)) for (const x of ([] as string[]).concat(v)) body.append(k, x);
  return fetchWorker(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: s.cookie }, body });
};
const page = async (s: Session, path: string) => (await fetchWorker(path, { headers: { cookie: s.cookie } })).text();
const local = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);

const form = {
  title: "第二期众筹", description: "", riskDisclosure: "投资有风险", price: "1000.00", totalShares: "50", minShares: "1", maxShares: "10", targetShares: "3",
  eligibleTiers: ["channel_partner", "promoter"], tierOnSuccess: "shareholder", opensAt: local(Date.now() - 3600_000), closesAt: local(Date.now() + 86_400_000),
};

describe("the crowdfunding console", () => {
  it("creates a round from the form (yuan, Beijing time), opens it, shows subscribers and closes it early", async () => {
    await seedAdmin("cora");
    const s = await loginSession("cora");
    expect((await post(s, "/admin/rounds", { ...form, price: "10.005" })).status).toBe(422);
    const created = await post(s, "/admin/rounds", form);
    expect(created.status).toBe(303);
    const id = created.headers.get("location")!.match(/rounds\/([^?]+)/)![1];
    expect(await roundRow(id)).toMatchObject({ share_price_fen: 100_000, state: "draft", eligible_tiers: '["channel_partner","promoter"]' });

    expect((await post(s, `/admin/rounds/${id}`, { ...form, targetShares: "4" })).status).toBe(303);
    expect((await post(s, `/admin/rounds/${id}/open`, {})).status).toBe(303);
    const [m] = await seedMembers("console", 1);
    await paySubscription((await subscribe(m, id, 4)).body.subscription.id);

    const detail = await page(s, `/admin/rounds/${id}`);
    expect(detail).toContain("认购中");
    expect(detail).toContain("console-0");
    expect((await post(s, `/admin/rounds/${id}/close`, {})).status).toBe(422);
    expect((await post(s, `/admin/rounds/${id}/close`, { confirm: "yes" })).status).toBe(303);
    expect((await roundRow(id))!.state).toBe("succeeded");
    expect(await page(s, "/admin/cap-table")).toContain("console-0");
    const csv = await fetchWorker("/admin/cap-table.csv", { headers: { cookie: s.cookie } });
    expect(await csv.text()).toContain(`console-0,,${id},第二期众筹,4,4,100.00`);
    expect(await page(s, "/admin/rounds")).toContain("第二期众筹");
  });

  it("allocates profit and declares a dividend from the dividends page", async () => {
    await seedAdmin("dora");
    const s = await loginSession("dora");
    await env.DB.prepare("INSERT INTO share_holdings (member_id, round_id, shares, acquired_at) VALUES ('h1', 'rX', 1, 0), ('h2', 'rX', 2, 0)").run();
    await executeTransfers(env.DB, [{ id: "order:console:revenue", debitAccountId: "wechat_clearing", creditAccountId: "revenue_course", amountFen: 30_000, code: "course_sale", reference: "order:console" }]);
    expect((await post(s, "/admin/dividends/allocate", { amount: "300.01", reason: "利润" })).status).toBe(409);
    expect((await post(s, "/admin/dividends/allocate", { amount: "300", reason: "利润" })).status).toBe(303);
    expect(await page(s, "/admin/dividends")).toContain("¥300.00");
    expect((await post(s, "/admin/dividends/declare", { period: "2026-Q4", declareAmount: "300", roundId: "rX" })).status).toBe(422);
    expect((await post(s, "/admin/dividends/declare", { period: "2026-Q4", declareAmount: "300", roundId: "rX", confirm: "yes" })).status).toBe(303);
    expect(await page(s, "/admin/dividends")).toContain("已发放");
    await expectLedgerInvariants(env.DB);
  });
});
