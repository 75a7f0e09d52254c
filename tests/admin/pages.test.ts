import { describe, expect, it } from "vitest";
import { fetchWorker, loginSession, seedAdmin, seedMember } from "./support";

async function page(cookie: string, path: string) {
  const res = await fetchWorker(path, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
}

function rowsOf(html: string) {
  return [...html.matchAll(/data-member-id="([^"]+)"/g)].map((m) => m[1]);
}

describe("console pages", () => {
  it("redirect to the login page without a session", async () => {
    for (const path of ["/admin", "/admin/members", "/admin/members/x", "/admin/audit"]) {
      const res = await fetchWorker(path);
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login");
    }
  });

  it("find members by part of the nickname, by openid and by phone, with a two-level referrer chain", async () => {
    const top = await seedMember({ nickname: "王老师", tier: "channel_partner" });
    const mid = await seedMember({ nickname: "李推广", tier: "promoter", referrerId: top });
    const buyer = await seedMember({ nickname: "张小明", openid: "o-zhang-1", phone: "13800000001", referrerId: mid });
    await seedMember({ nickname: "50%_off" });
    await seedAdmin("sam");
    const { cookie } = await loginSession("sam");

    const byNick = await page(cookie, `/admin/members?q=${encodeURIComponent("小明")}`);
    expect(rowsOf(byNick.html)).toEqual([buyer]);
    expect(byNick.html).toContain("李推广");
    expect(byNick.html).toContain("王老师");
    expect(rowsOf((await page(cookie, "/admin/members?q=o-zhang-1")).html)).toEqual([buyer]);
    expect(rowsOf((await page(cookie, "/admin/members?q=13800000001")).html)).toEqual([buyer]);
    expect(rowsOf((await page(cookie, "/admin/members?q=o-zhang")).html)).toEqual([]);
    // LIKE wildcards in the query are literal characters
    expect(rowsOf((await page(cookie, `/admin/members?q=${encodeURIComponent("%")}`)).html)).toHaveLength(1);

    const detail = await page(cookie, `/admin/members/${mid}`);
    expect(detail.status).toBe(200);
    expect(detail.html).toContain("一级 1 人 · 二级 0 人");
    expect((await page(cookie, `/admin/members/${top}`)).html).toContain("一级 1 人 · 二级 1 人");
    expect((await page(cookie, "/admin/members/nobody")).status).toBe(404);
  });

  it("page through members newest first without repeating anyone", async () => {
    for (let i = 0; i < 25; i++) await seedMember({ nickname: `翻页${i}` });
    await seedAdmin("tess");
    const { cookie } = await loginSession("tess");
    const first = await page(cookie, `/admin/members?q=${encodeURIComponent("翻页")}`);
    const next = first.html.match(/href="([^"]+)" rel="next"/)![1].replace(/&amp;/g, "&");
    const second = await page(cookie, next);
    const all = [...rowsOf(first.html), ...rowsOf(second.html)];
    expect(rowsOf(first.html)).toHaveLength(20);
    expect(new Set(all).size).toBe(25);
    expect(second.html).not.toContain('rel="next"');
  });

  it("show member counts by tier on the dashboard and the login in the audit log", async () => {
    await seedMember({ tier: "shareholder" });
    await seedAdmin("uma");
    const { cookie } = await loginSession("uma");
    const dash = await page(cookie, "/admin");
    expect(dash.html).toMatch(/data-tier="shareholder"><b>1<\/b>/);
    const audit = await page(cookie, "/admin/audit");
    expect(audit.html).toContain('data-action="admin.login"');
    expect(audit.html).toContain("uma");
  });

  it("escape what members typed", async () => {
    await seedMember({ nickname: "<script>alert(1)</script>" });
    await seedAdmin("vic");
    const { cookie } = await loginSession("vic");
    const { html } = await page(cookie, "/admin/members");
    expect(html).not.toContain("<script>alert(1)</script>");
    expect(html).toContain("&lt;script&gt;");
  });
});
