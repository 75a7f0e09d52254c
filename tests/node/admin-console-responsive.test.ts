import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

// Every console page at a phone's width (390 px) and a laptop's (1366 px): nothing may be wider than the
// screen (wide tables scroll inside their own box), and on the phone the menu folds behind a button.
// Screenshots of each page at both widths go to .screenshots/console (gitignored), or to ADMIN_SCREENSHOTS.
const SCREENSHOTS = process.env.ADMIN_SCREENSHOTS ?? path.join(import.meta.dirname, "../../.screenshots/console");
/** The console's 404 page, in the same frame as the rest. */
const NOT_FOUND = "/admin/no-such-page";
const WIDTHS = [
  { name: "phone", width: 390, height: 844 },
  { name: "laptop", width: 1366, height: 800 },
];

describe("the admin console on a phone and on a laptop", () => {
  const bed = consoleTestbed({
    admins: ["alice"],
    bindings: { LOG_LEVEL: "warn" },
    seed: async (db) => {
      const now = Date.now();
      const member = (id: string, nickname: string, tier: string, referrerId: string | null, i: number) =>
        db
          .prepare("INSERT INTO members (id, openid, nickname, phone, tier, roles, referrer_id, bound_at, invite_code, created_at) VALUES (?, ?, ?, ?, ?, '[]', ?, ?, ?, ?)")
          .bind(id, `o-${id}-with-a-long-openid-that-must-not-widen-the-page`, nickname, "13800000001", tier, referrerId, referrerId ? now : null, `INV-${id}`, now + i);
      await db.batch([
        member("m-wang", "王老师", "channel_partner", null, 1),
        member("m-li", "李推广", "promoter", "m-wang", 2),
        member("m-zhang", "张小明同学的一个相当长的昵称", "member", "m-li", 3),
      ]);
    },
  });

  beforeAll(() => mkdir(SCREENSHOTS, { recursive: true }));

  /** The console's pages: 概览 and every menu entry (worker/console/pages.ts), plus a member's page. */
  async function consolePaths(page: Page): Promise<string[]> {
    await page.goto(`${bed.worker.url}/admin`);
    const menu = await page.locator("header nav a").evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
    return [...new Set(["/admin", ...menu, "/admin/members/m-zhang", "/admin/login", NOT_FOUND])];
  }

  async function overflow(page: Page) {
    // The page's own globals, typed here since the test project compiles without the DOM library.
    return page.evaluate("({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth })") as Promise<{ scrollWidth: number; innerWidth: number }>;
  }

  it("lists the menu's pages", async () => {
    const page = await bed.loggedIn("alice");
    const paths = await consolePaths(page);
    expect(paths.length).toBeGreaterThanOrEqual(10);
    for (const p of ["/admin/members", "/admin/orders", "/admin/audit", "/admin/settings"]) expect(paths).toContain(p);
    await page.context().close();
  });

  for (const size of WIDTHS) {
    it(`fits every page into ${size.width} px`, async () => {
      const page = await bed.loggedIn("alice", { viewport: { width: size.width, height: size.height } });
      const paths = await consolePaths(page);
      const tooWide: string[] = [];
      for (const p of paths) {
        const res = await page.goto(`${bed.worker.url}${p}`);
        expect(res?.status(), p).toBe(p === NOT_FOUND ? 404 : 200);
        const { scrollWidth, innerWidth } = await overflow(page);
        if (scrollWidth > innerWidth) tooWide.push(`${p}: ${scrollWidth} > ${innerWidth}`);
        const name = p.replace(/^\/admin\/?/, "").replace(/\//g, "-") || "dashboard";
        await page.screenshot({ path: path.join(SCREENSHOTS, `${size.name}-${name}.png`), fullPage: true });
      }
      expect(tooWide).toEqual([]);
      await page.context().close();
    }, 120_000);
  }

  it("folds the menu behind a button on a phone and shows it in full on a laptop", async () => {
    const page = await bed.loggedIn("alice", { viewport: { width: 390, height: 844 } });
    await page.goto(`${bed.worker.url}/admin`);
    const members = page.locator('header nav a[href="/admin/members"]');
    expect(await members.isVisible()).toBe(false);
    await page.click('[data-testid="nav-button"]');
    expect(await members.isVisible()).toBe(true);
    await Promise.all([page.waitForURL(`${bed.worker.url}/admin/members`), members.click()]);
    await page.screenshot({ path: path.join(SCREENSHOTS, "phone-menu-open.png") });

    await page.setViewportSize({ width: 1366, height: 800 });
    await page.goto(`${bed.worker.url}/admin`);
    expect(await page.locator('[data-testid="nav-button"]').isVisible()).toBe(false);
    expect(await members.isVisible()).toBe(true);
    await page.context().close();
  });
});
