import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newAdmin } from "../../scripts/admin-credentials.mjs";
import { startLocalWorker } from "../../scripts/local-worker.mjs";
import { launchChromium, PASSWORD, submitConsoleLogin } from "./support/console-browser";

// Creating an auction lot in the console, in Debian's Chromium against the real worker (and its lot Durable Object).
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

describe("auction lots in the console, in Chromium", () => {
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  let browser: Browser;
  let totpSecret: string;

  beforeAll(async () => {
    worker = await startLocalWorker();
    const { admin, sql } = newAdmin({ username: "lotte", password: PASSWORD });
    totpSecret = admin.totpSecret;
    await worker.db.prepare(sql).run();
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  it("creates a live lot from the form; members then see it in the live list", async () => {
    const page = await (await browser.newContext({ locale: "zh-CN" })).newPage();
    await page.goto(`${worker.url}/admin/login`);
    await submitConsoleLogin(page, worker.url, "lotte", totpSecret);

    await page.click('nav a[href="/admin/lots"]');
    await page.click('a[href="/admin/lots/new"]');
    const form = page.locator('[data-testid="lot-form"]');
    await form.locator('input[name="title"]').fill("赵老师 隶书《曹全碑》节临");
    await form.locator('input[name="instructor"]').fill("赵老师");
    await form.locator('input[name="startPrice"]').fill("800");
    await form.locator('input[name="reservePrice"]').fill("1200");
    await form.locator('input[name="deposit"]').fill("200");
    await form.locator('input[name="startsAt"]').fill(beijing(Date.now() - 60_000));
    await form.locator('input[name="endsAt"]').fill(beijing(Date.now() + 2 * 3_600_000));
    await Promise.all([page.waitForURL(/\/admin\/lots\/lot_[^/]+\?done=created$/), form.locator('button[type="submit"]').click()]);
    expect(await page.textContent("main")).toContain("拍品已创建");
    expect(await page.textContent("main")).toContain("¥800.00");
    const lotId = new URL(page.url()).pathname.split("/").pop()!;

    const live = (await (await worker.fetch("/api/lots?state=live")).json()) as any;
    expect(live.items.map((l: any) => [l.id, l.title, l.startPriceFen, l.depositFen])).toEqual([[lotId, "赵老师 隶书《曹全碑》节临", 80_000, 20_000]]);
    await page.click('nav a[href="/admin/lots"]');
    expect(await page.locator(`[data-lot-id="${lotId}"]`).textContent()).toContain("竞拍中");
  });
});
