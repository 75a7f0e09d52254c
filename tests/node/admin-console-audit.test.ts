import { describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

// The audit log's filters in a real browser: an operator picks an action from the list and a range of Beijing
// dates, and sees only those entries, in Chinese, with the filter kept while paging.

describe("the audit log's filters in Chromium", () => {
  const bed = consoleTestbed({
    admins: ["auditor"],
    seed: async (db) => {
      let n = 0;
      const entry = (at: string, action: string, targetType: string, targetId: string, after: unknown) =>
        db
          .prepare(
            "INSERT INTO audit_log (id, actor_id, actor_kind, action, target_type, target_id, before, after, request_id, created_at) VALUES (?, 'system', 'system', ?, ?, ?, NULL, ?, NULL, ?)",
          )
          .bind(`0190-audit-${String(++n).padStart(4, "0")}`, action, targetType, targetId, JSON.stringify(after), Date.parse(at));
      await db.batch([
        // 2026-03-09 23:59 and 2026-03-10 00:30 in Beijing: on either side of midnight there, both on 03-09 in UTC.
        entry("2026-03-09T15:59:00Z", "withdrawal.approved", "withdrawal", "wd_before", { amountFen: 1000 }),
        entry("2026-03-09T16:30:00Z", "withdrawal.approved", "withdrawal", "wd_inside", { amountFen: 123456 }),
        entry("2026-03-10T02:00:00Z", "member.blocked", "member", "mem_inside", { blocked: true }),
        entry("2026-03-11T16:00:00Z", "withdrawal.approved", "withdrawal", "wd_after", { amountFen: 2000 }),
      ]);
    },
  });

  it("shows only the picked action inside the Beijing date range, in Chinese and ¥", async () => {
    const page = await bed.loggedIn("auditor");
    await page.click('nav a[href="/admin/audit"]');

    const filters = page.locator('[data-testid="audit-filters"]');
    await filters.locator('select[name="action"]').selectOption({ label: "批准提现" });
    await filters.locator('input[name="from"]').fill("2026-03-10");
    await filters.locator('input[name="to"]').fill("2026-03-11");
    await Promise.all([page.waitForURL(/\/admin\/audit\?/), filters.locator('button[type="submit"]').click()]);

    const query = new URL(page.url()).searchParams;
    expect(Object.fromEntries(query)).toEqual({ action: "withdrawal.approved", from: "2026-03-10", to: "2026-03-11" });
    const rows = page.locator('[data-testid="audit-table"] tbody tr');
    expect(await rows.count()).toBe(1);
    const row = rows.first();
    expect(await row.getAttribute("data-action")).toBe("withdrawal.approved");
    expect(await row.textContent()).toContain("批准提现");
    expect(await row.textContent()).toContain("wd_inside");
    expect(await row.textContent()).toContain("2026-03-10 00:30:00");
    expect(await row.textContent()).toContain("¥1,234.56");
    // The form keeps what was chosen, and 清除 goes back to every entry.
    expect(await filters.locator('select[name="action"]').inputValue()).toBe("withdrawal.approved");
    await Promise.all([page.waitForURL(`${bed.worker.url}/admin/audit`), page.click('a:has-text("清除")')]);
    expect(await page.locator('[data-testid="audit-table"] tbody tr[data-action="withdrawal.approved"]').count()).toBe(3);
    await page.context().close();
  });
});
