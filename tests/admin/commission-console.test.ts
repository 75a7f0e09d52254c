import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, mintMember } from "../support/api";
import { paidOrder, seedCourse } from "../orders/support";
import { chain } from "../commissions/support";
import { fetchWorker, loginSession, ORIGIN, seedAdmin } from "./support";

type Session = Awaited<ReturnType<typeof loginSession>>;

function post(s: Session, path: string, fields: Record<string, string>) {
  const body = new URLSearchParams({ ...fields, _csrf: s.csrf });
  return fetchWorker(path, { method: "POST", headers: { cookie: s.cookie, origin: ORIGIN, "content-type": "application/x-www-form-urlencoded" }, body });
}
const page = async (s: Session, path: string) => (await fetchWorker(path, { headers: { cookie: s.cookie } })).text();

describe("console: 分销设置, 推广员申请, commissions on member and order pages", () => {
  it("saves the commission settings all or nothing", async () => {
    await seedAdmin("cora");
    const s = await loginSession("cora");
    expect(await page(s, "/admin/commissions")).toContain('data-testid="commission-settings-form"');
    const fields = {
      "member.level1Bps": "0", "member.level2Bps": "0",
      "promoter.mayEarn": "yes", "promoter.level1Bps": "1200", "promoter.level2Bps": "300",
      "channel_partner.mayEarn": "yes", "channel_partner.level1Bps": "1500", "channel_partner.level2Bps": "500",
      "shareholder.mayEarn": "yes", "shareholder.level1Bps": "2000", "shareholder.level2Bps": "500",
      frozenDays: "10", tierTriggers: "[]",
    };
    expect((await post(s, "/admin/commissions", fields)).status).toBe(303);
    const stored = await env.DB.prepare("SELECT value FROM settings WHERE key = 'commissions.tier.promoter'").first<{ value: string }>();
    expect(JSON.parse(stored!.value)).toEqual({ mayEarn: true, level1Bps: 1200, level2Bps: 300 });
    expect((await post(s, "/admin/commissions", { ...fields, "promoter.level1Bps": "20000", frozenDays: "3" })).status).toBe(422);
    expect(await env.DB.prepare("SELECT value FROM settings WHERE key = 'commissions.frozenDays'").first("value")).toBe("10");
    await env.DB.prepare("DELETE FROM settings WHERE key LIKE 'commissions.%'").run();
  });

  it("approves an application with a reason; the member is a promoter at once", async () => {
    await seedAdmin("dora");
    const s = await loginSession("dora");
    const member = (await mintMember({ id: "cc-applicant" })).token;
    const applied = await (await call("/api/partner/application", { token: member, method: "POST", json: { note: "想分享课程" } })).json<{ id: string }>();
    expect(await page(s, "/admin/partner-applications")).toContain("想分享课程");
    expect((await post(s, `/admin/partner-applications/${applied.id}/decide`, { decision: "approved", reason: "" })).status).toBe(422);
    expect((await post(s, `/admin/partner-applications/${applied.id}/decide`, { decision: "approved", reason: "认真负责" })).status).toBe(303);
    expect(await env.DB.prepare("SELECT tier FROM members WHERE id = 'cc-applicant'").first("tier")).toBe("promoter");
    const memberPage = await page(s, "/admin/members/cc-applicant");
    expect(memberPage).toContain('data-testid="tier-history"');
    expect(memberPage).toContain("认真负责");
  });

  it("shows an order's commissions and a member's commission records", async () => {
    await seedAdmin("ezra");
    const s = await loginSession("ezra");
    const [buyer] = await chain([["cc-buyer", "member"], ["cc-l1", "promoter"]]);
    await seedCourse("c-cc", 10000);
    const { orderId } = await paidOrder(buyer, "c-cc");
    const orderPage = await page(s, `/admin/orders/${orderId}`);
    expect(orderPage).toContain('data-testid="commissions-table"');
    expect(orderPage).toContain("¥10.00");
    expect(orderPage).toContain("冻结中");
    expect(await page(s, "/admin/members/cc-l1")).toContain(orderId);
  });
});
