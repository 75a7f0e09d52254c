import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

// The crowdfunding console in a real browser (Debian's Chromium) against the worker on 127.0.0.1: an admin drafts a
// round from the form, opens it, a channel partner subscribes through the API, and the admin sees the subscriber.

describe("the admin console's crowdfunding pages in Chromium", () => {
  const bed = consoleTestbed({ admins: ["rita"], bindings: { LOG_LEVEL: "warn" } });
  let page: Page;

  beforeAll(async () => {
    page = await bed.loggedIn("rita");
  });

  const submit = (selector: string) => Promise.all([page.waitForLoadState("load"), page.waitForURL(/./), page.click(selector)]);
  const local = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);

  it("drafts a round from the form, opens it, and lists its subscriber; the cap table exports as CSV", async () => {
    await page.click('nav a[href="/admin/rounds"]');
    await page.waitForURL(`${bed.worker.url}/admin/rounds`);
    const form = 'form[data-testid="round-form"]';
    await page.fill(`${form} input[name="title"]`, "浏览器里的众筹");
    await page.fill(`${form} textarea[name="riskDisclosure"]`, "投资有风险");
    await page.fill(`${form} input[name="price"]`, "500");
    await page.fill(`${form} input[name="totalShares"]`, "100");
    await page.fill(`${form} input[name="maxShares"]`, "10");
    await page.fill(`${form} input[name="targetShares"]`, "20");
    await page.fill(`${form} input[name="opensAt"]`, local(Date.now() - 3600_000));
    await page.fill(`${form} input[name="closesAt"]`, local(Date.now() + 86_400_000));
    await submit(`${form} button[type="submit"]`);
    expect(page.url()).toMatch(/\/admin\/rounds\/rnd_[0-9a-f]+\?done=created$/);
    const roundId = page.url().match(/rounds\/([^?]+)/)![1];
    expect(await page.textContent("h1")).toContain("草稿");

    await submit('form[action$="/open"] button[type="submit"]');
    expect(await page.textContent("h1")).toContain("认购中");

    const login = await bed.worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:browser-partner" }) });
    const { token } = (await login.json()) as { token: string };
    await bed.db.prepare("UPDATE members SET tier = 'channel_partner', nickname = '浏览器合伙人' WHERE openid = 'browser-partner'").run();
    const sub = await bed.worker.fetch(`/api/rounds/${roundId}/subscriptions`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify({ shares: 3, disclosureVersion: 1 }) });
    expect(sub.status).toBe(201);

    await page.reload();
    expect(await page.textContent('[data-testid="round-progress"]')).toContain("预留 3");
    expect(await page.textContent('table[data-testid="subscribers"]')).toContain("浏览器合伙人");
    expect(await page.textContent('table[data-testid="subscribers"]')).toContain("¥1,500.00");

    await page.goto(`${bed.worker.url}/admin/cap-table`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click('[data-testid="cap-table-csv"]')]);
    expect(download.suggestedFilename()).toBe("cap-table.csv");
  });
});
