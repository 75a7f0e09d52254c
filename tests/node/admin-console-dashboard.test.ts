import { mkdir } from "node:fs/promises";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

// 概览 in a real browser: six server-drawn SVG charts that fit a phone and a laptop, and a figure whose link
// opens the list behind it showing the same count and amount. Screenshots go to .screenshots/console.
const SCREENSHOTS = process.env.ADMIN_SCREENSHOTS ?? path.join(import.meta.dirname, "../../.screenshots/console");
const DAY = 86_400_000;
/** Noon in Beijing `daysAgo` Beijing days before today, and that day's date. */
const beijingNoon = (daysAgo: number) => Math.floor((Date.now() + 8 * 3_600_000) / DAY) * DAY - 8 * 3_600_000 - daysAgo * DAY + 12 * 3_600_000;
const beijingDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

describe("the dashboard's charts in a browser", () => {
  const bed = consoleTestbed({
    admins: ["dana"],
    bindings: { LOG_LEVEL: "warn" },
    seed: async (db) => {
      const paidAt = beijingNoon(3);
      const settledAt = beijingNoon(1);
      await db.batch([
        db.prepare("INSERT INTO members (id, openid, nickname, tier, roles, invite_code, created_at) VALUES ('m-dash', 'o-dash', '赵同学', 'member', '[]', 'INV-dash', ?)").bind(paidAt - 3_600_000),
        db.prepare(
          `INSERT INTO orders (id, member_id, subject_id, description, amount_fen, status, refunded_fen, refund_count, expires_at, paid_at, created_at, updated_at)
           VALUES ('O-DASH-1', 'm-dash', 'c-dash', '书法入门', 5000, 'paid', 1234, 1, ?, ?, ?, ?)`,
        ).bind(paidAt + 1_800_000, paidAt, paidAt - 60_000, settledAt),
        db.prepare(
          `INSERT INTO refunds (id, order_id, amount_fen, reason, status, requested_by, created_at, settled_at)
           VALUES ('O-DASH-1R1', 'O-DASH-1', 1234, '部分退款', 'succeeded', 'adm', ?, ?)`,
        ).bind(settledAt - 600_000, settledAt),
      ]);
    },
  });

  beforeAll(() => mkdir(SCREENSHOTS, { recursive: true }));

  for (const size of [{ name: "phone", width: 390, height: 844 }, { name: "laptop", width: 1366, height: 800 }]) {
    it(`draws six labelled SVG charts within ${size.width} px`, async () => {
      const page = await bed.loggedIn("dana", { viewport: { width: size.width, height: size.height } });
      const res = await page.goto(`${bed.worker.url}/admin`);
      expect(res?.status()).toBe(200);
      const charts = page.locator('svg[data-testid^="chart-"]');
      expect(await charts.count()).toBe(6);
      for (let i = 0; i < 6; i++) {
        const chart = charts.nth(i);
        expect(await chart.getAttribute("role")).toBe("img");
        expect(await chart.getAttribute("aria-label")).toMatch(/^近 30 天/);
        expect(await chart.locator("title").first().textContent()).toMatch(/合计 /);
        expect(await chart.locator("rect.bar").count()).toBe(30);
        const box = await chart.boundingBox();
        expect(box!.width).toBeGreaterThan(size.width / 3);
        expect(box!.x + box!.width).toBeLessThanOrEqual(size.width);
      }
      const widths = (await page.evaluate("({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })")) as { scrollWidth: number; innerWidth: number };
      expect(widths.scrollWidth).toBeLessThanOrEqual(widths.innerWidth);
      // The paid bar three days ago is drawn (¥50.00), and the net bar yesterday goes below the line.
      expect(await page.locator(`[data-testid="chart-paid"] rect[data-day="${beijingDate(beijingNoon(3))}"]`).getAttribute("data-value")).toBe("5000");
      expect(await page.locator(`[data-testid="chart-net"] rect[data-day="${beijingDate(beijingNoon(1))}"]`).getAttribute("class")).toBe("bar negative");
      await page.screenshot({ path: path.join(SCREENSHOTS, `${size.name}-dashboard-charts.png`), fullPage: true });
      await page.context().close();
    }, 60_000);
  }

  it("opens the refunds behind a figure and shows the same count and amount", async () => {
    const page = await bed.loggedIn("dana", { viewport: { width: 390, height: 844 } });
    await page.goto(`${bed.worker.url}/admin`);
    const total = page.locator('[data-testid="total-refunds"]');
    expect(await total.textContent()).toBe("¥12.34");
    await Promise.all([page.waitForURL(/\/admin\/refunds\?status=succeeded&from=\d{4}-\d{2}-\d{2}&to=\d{4}-\d{2}-\d{2}$/), total.click()]);
    expect(await page.textContent('[data-testid="list-count"]')).toBe("1");
    expect(await page.textContent('[data-testid="list-amount"]')).toBe("¥12.34");
    expect(await page.locator("tr[data-refund-id]").count()).toBe(1);

    // The same day from the chart's table of values (under <details>), then the order behind the refund.
    const yesterday = beijingDate(beijingNoon(1));
    await page.goto(`${bed.worker.url}/admin`);
    const refunds = page.locator('section[data-series="refunds"]');
    await refunds.locator("summary").click();
    const cell = refunds.locator(`tr[data-day="${yesterday}"] a`);
    expect(await cell.textContent()).toBe("¥12.34");
    await Promise.all([page.waitForURL(`${bed.worker.url}/admin/refunds?status=succeeded&from=${yesterday}&to=${yesterday}`), cell.click()]);
    expect(await page.textContent('[data-testid="list-amount"]')).toBe("¥12.34");
    await page.screenshot({ path: path.join(SCREENSHOTS, "phone-refunds-from-dashboard.png"), fullPage: true });
    await Promise.all([page.waitForURL(`${bed.worker.url}/admin/orders/O-DASH-1`), page.click('tr[data-refund-id="O-DASH-1R1"] a[href="/admin/orders/O-DASH-1"]')]);
    await page.context().close();
  }, 60_000);
});
