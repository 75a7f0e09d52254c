import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAdmin } from "../../scripts/admin-credentials.mjs";
import { startLocalWorker } from "../../scripts/local-worker.mjs";
import { launchChromium, PASSWORD, submitConsoleLogin } from "./support/console-browser";

// 推广员申请 in a real browser (Debian's Chromium), against the real worker on 127.0.0.1.

describe("promoter applications in the console (Chromium)", () => {
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  let browser: Browser;
  let totpSecret: string;

  beforeAll(async () => {
    worker = await startLocalWorker();
    const { admin, sql } = newAdmin({ username: "paula", password: PASSWORD });
    totpSecret = admin.totpSecret;
    await worker.db.prepare(sql).run();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  it("approves an application with a reason: the member is a promoter at once, with its tier history", async () => {
    const login = await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:cc-applicant" }) });
    const { token } = (await login.json()) as { token: string };
    const memberId = (await worker.db.prepare("SELECT id FROM members WHERE openid = 'cc-applicant'").first<{ id: string }>())!.id;
    await worker.db.prepare("UPDATE members SET nickname = '申请人小赵' WHERE id = ?").bind(memberId).run();
    const applied = await worker.fetch("/api/partner/application", {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ note: "我有很多学员" }),
    });
    expect(applied.status).toBe(201);

    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`${worker.url}/admin/login`);
    await submitConsoleLogin(page, worker.url, "paula", totpSecret);

    await page.click('nav a[href="/admin/partner-applications"]');
    const row = page.locator('[data-testid="applications-table"] tbody tr', { hasText: "申请人小赵" });
    expect(await row.textContent()).toContain("我有很多学员");
    await row.locator('input[name="reason"]').fill("学员基础好");
    await Promise.all([page.waitForURL(/done=approved/), row.locator('button[value="approved"]').click()]);
    expect(await page.textContent("body")).toContain("已通过，该会员已成为推广员");

    expect(await worker.db.prepare("SELECT tier FROM members WHERE id = ?").bind(memberId).first("tier")).toBe("promoter");
    const earnings = await worker.fetch("/api/partner/earnings", { headers: { authorization: `Bearer ${token}` } });
    expect(earnings.status).toBe(200);
    await page.goto(`${worker.url}/admin/members/${memberId}`);
    expect(await page.textContent('[data-testid="tier-history"]')).toContain("学员基础好");
    await context.close();
  }, 60_000);
});
