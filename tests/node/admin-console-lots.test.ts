import { describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

// Creating an auction lot in the console, in Debian's Chromium against the real worker (and its lot Durable Object).
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

describe("auction lots in the console, in Chromium", () => {
  const bed = consoleTestbed({ admins: ["lotte"] });

  it("creates a live lot from the form; members then see it in the live list", async () => {
    const page = await bed.loggedIn("lotte");

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

    const live = (await (await bed.worker.fetch("/api/lots?state=live")).json()) as any;
    expect(live.items.map((l: any) => [l.id, l.title, l.startPriceFen, l.depositFen])).toEqual([[lotId, "赵老师 隶书《曹全碑》节临", 80_000, 20_000]]);
    await page.click('nav a[href="/admin/lots"]');
    expect(await page.locator(`[data-lot-id="${lotId}"]`).textContent()).toContain("竞拍中");
  });
});
