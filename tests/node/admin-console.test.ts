import { readFile } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { consoleTestbed, PASSWORD } from "./support/console-browser";

// The admin console in a real browser (Debian's Chromium; scripts/ensure-chromium.sh installs it), against
// the real worker on 127.0.0.1, which Chromium treats as a secure context, so the Secure cookies are kept.
// Set ADMIN_SCREENSHOTS=<dir> to keep a screenshot of each page.

describe("the admin console in Chromium", () => {
  const bed = consoleTestbed({
    admins: ["alice"],
    seed: async (db) => {
      const now = Date.now();
      const member = (id: string, nickname: string, tier: string, referrerId: string | null, phone: string | null, i: number) =>
        db
          .prepare("INSERT INTO members (id, openid, nickname, phone, tier, roles, referrer_id, bound_at, invite_code, created_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)")
          .bind(id, `o-${id}`, nickname, phone, tier, referrerId, referrerId ? now : null, `INV-${id}`, now + i);
      await db.batch([
        member("m-wang", "王老师", "channel_partner", null, null, 1),
        member("m-li", "李推广", "promoter", "m-wang", null, 2),
        member("m-zhang", "张小明", "member", "m-li", "13800000001", 3),
      ]);
    },
  });

  async function shot(page: Page, name: string) {
    const dir = process.env.ADMIN_SCREENSHOTS;
    if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  }

  it("logs in with password and TOTP, finds a member with the referrer chain, filters members by tier and downloads them as CSV, and shows the login in the audit log", async () => {
    const context = await bed.browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${bed.worker.url}/admin/members`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    await shot(page, "1-login");

    await bed.signIn(page, "alice");
    expect(await page.textContent('[data-testid="admin-username"]')).toBe("alice");
    expect(await page.textContent('[data-testid="members-total"] b')).toBe("3");
    const cookies = await context.cookies();
    expect(cookies.find((c) => c.name === "__Host-zs_admin")).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict" });
    await shot(page, "2-dashboard");

    await page.click('nav a[href="/admin/members"]');
    await page.fill('input[name="q"]', "小明");
    await Promise.all([page.waitForURL(/q=/), page.click("form.search button")]);
    const rows = page.locator('[data-testid="members-table"] tbody tr');
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.textContent()).toContain("张小明");
    expect(await row.locator(".chain a").allTextContents()).toEqual(["李推广", "王老师"]);
    await shot(page, "3-members");

    await row.locator("a", { hasText: "张小明" }).click();
    await page.waitForURL(`${bed.worker.url}/admin/members/m-zhang`);
    expect(await page.textContent("main")).toContain("13800000001");
    await shot(page, "4-member");

    // Filter by tier with the picker, then download what the filter shows.
    await page.click('nav a[href="/admin/members"]');
    await page.selectOption('[data-testid="filter-tier"]', "promoter");
    await Promise.all([page.waitForURL(/tier=promoter/), page.click("form.search button")]);
    const promoters = page.locator('[data-testid="members-table"] tbody tr');
    expect(await promoters.count()).toBe(1);
    expect(await promoters.first().getAttribute("data-member-id")).toBe("m-li");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="export-members"]')]);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.toString("utf8").slice(1).trimEnd().split("\r\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('"m-li","李推广","推广员"');
    await shot(page, "4b-members-by-tier");

    await page.click('nav a[href="/admin/audit"]');
    const login = page.locator('[data-testid="audit-table"] tr[data-action="admin.login"]');
    expect(await login.count()).toBe(1);
    expect(await login.textContent()).toContain("alice");
    await shot(page, "5-audit");

    await Promise.all([page.waitForURL(/\/admin\/login/), page.click('header button[type="submit"]')]);
    expect(await page.textContent(".notice")).toContain("已退出登录");
    await page.goto(`${bed.worker.url}/admin`);
    expect(new URL(page.url()).pathname).toBe("/admin/login");
    const logouts = await bed.db.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'admin.logout'").first<{ n: number }>();
    expect(logouts?.n).toBe(1);
    await context.close();
  });

  it("shows the same message for a wrong code and an unknown user", async () => {
    const context = await bed.browser.newContext();
    const page = await context.newPage();
    const attempt = async (username: string, code: string) => {
      await page.goto(`${bed.worker.url}/admin/login`);
      await page.fill('input[name="username"]', username);
      await page.fill('input[name="password"]', PASSWORD);
      await page.fill('input[name="code"]', code);
      await Promise.all([page.waitForLoadState("load"), page.click('button[type="submit"]')]);
      return page.textContent('[role="alert"]');
    };
    const wrongCode = await attempt("alice", "000000");
    expect(wrongCode).toContain("登录失败");
    expect(await attempt("mallory", "000000")).toBe(wrongCode);
    await shot(page, "6-login-failed");
    await context.close();
  });
});
