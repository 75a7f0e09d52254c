import { describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

// 推广员申请 in a real browser (Debian's Chromium), against the real worker on 127.0.0.1.

describe("promoter applications in the console (Chromium)", () => {
  const bed = consoleTestbed({ admins: ["paula"] });

  it("approves an application with a reason: the member is a promoter at once, with its tier history", async () => {
    const login = await bed.worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:cc-applicant" }) });
    const { token } = (await login.json()) as { token: string };
    const memberId = (await bed.db.prepare("SELECT id FROM members WHERE openid = 'cc-applicant'").first<{ id: string }>())!.id;
    await bed.db.prepare("UPDATE members SET nickname = '申请人小赵' WHERE id = ?").bind(memberId).run();
    const applied = await bed.worker.fetch("/api/partner/application", {
      method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${token}` }, body: JSON.stringify({ note: "我有很多学员" }),
    });
    expect(applied.status).toBe(201);

    const page = await bed.loggedIn("paula");

    await page.click('nav a[href="/admin/partner-applications"]');
    const row = page.locator('[data-testid="applications-table"] tbody tr', { hasText: "申请人小赵" });
    expect(await row.textContent()).toContain("我有很多学员");
    await row.locator('input[name="reason"]').fill("学员基础好");
    await Promise.all([page.waitForURL(/done=approved/), row.locator('button[value="approved"]').click()]);
    expect(await page.textContent("body")).toContain("已通过，该会员已成为推广员");

    expect(await bed.db.prepare("SELECT tier FROM members WHERE id = ?").bind(memberId).first("tier")).toBe("promoter");
    const earnings = await bed.worker.fetch("/api/partner/earnings", { headers: { authorization: `Bearer ${token}` } });
    expect(earnings.status).toBe(200);
    await page.goto(`${bed.worker.url}/admin/members/${memberId}`);
    expect(await page.textContent('[data-testid="tier-history"]')).toContain("学员基础好");
    await page.context().close();
  }, 60_000);
});
