import path from "node:path";
import type { Page } from "playwright-core";
import { beforeAll, describe, expect, it } from "vitest";
import { consoleTestbed } from "./support/console-browser";

const root = path.resolve(import.meta.dirname, "../..");

// The catalog and the refund in a real browser (Debian's Chromium) against the worker and the WeChat sandbox
// on 127.0.0.1: an admin builds a course with a trial lesson and its media, publishes it; a member buys it
// through the API and the sandbox; the admin refunds part of it. ADMIN_SCREENSHOTS=<dir> keeps screenshots.

type Notification = { url: string; headers: Record<string, string>; body: string };

describe("the admin console's catalog and orders in Chromium", () => {
  const bed = consoleTestbed({ admins: ["alice"], bindings: { LOG_LEVEL: "warn" } });
  let page: Page;

  beforeAll(async () => {
    page = await bed.loggedIn("alice");
  });

  async function shot(name: string) {
    const dir = process.env.ADMIN_SCREENSHOTS;
    if (dir) await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  }

  /** Asks the WeChat sandbox to act (the member paid, WeChat refunded) and delivers its signed notification. */
  async function sandboxNotifies(action: string, body: unknown) {
    const sandbox = await bed.worker.mf.getWorker("wechat-sandbox");
    const res = await sandbox.fetch(`https://api.mch.weixin.qq.com${action}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ ...(body as object), deliver: false }) });
    expect(res.status).toBe(200);
    const n = (await res.json()) as Notification;
    const delivered = await bed.worker.fetch(new URL(n.url).pathname, { method: "POST", headers: n.headers, body: n.body });
    expect(delivered.status).toBe(204);
  }

  const submit = (selector: string) => Promise.all([page.waitForLoadState("load"), page.waitForURL(/./), page.click(selector)]);

  let courseId = "";

  it("creates a course, adds a chapter and a trial lesson, uploads its media, publishes it, and the catalog lists it", async () => {
    await page.click('nav a[href="/admin/courses"]');
    await page.click('a[href="/admin/courses/new"]');
    await page.fill('input[name="title"]', "书法入门");
    await page.fill('input[name="subtitle"]', "从握笔开始");
    await page.fill('input[name="instructor"]', "王老师");
    await page.fill('input[name="price"]', "19.999");
    await page.fill('textarea[name="description"]', "十讲，从握笔到行书。");
    await submit('[data-testid="course-form"] button[type="submit"]');
    expect(await page.textContent('[data-error-for="price"]')).toContain("最多两位小数");
    await shot("09-course-refused");
    await page.fill('input[name="price"]', "19.90");
    await Promise.all([page.waitForURL(/\/admin\/courses\/crs_/), page.click('[data-testid="course-form"] button[type="submit"]')]);
    courseId = decodeURIComponent(new URL(page.url()).pathname.split("/").pop()!);
    expect(await page.textContent(".notice")).toContain("课程已创建");

    // The cover is a file: the browser shows the uploaded picture from the worker's public cover route.
    await page.setInputFiles('[data-testid="cover-form"] input[name="file"]', path.join(root, "scripts/demo-media/cover.png"));
    await submit('[data-testid="cover-form"] button');
    expect(await page.textContent(".notice")).toContain("封面已上传");
    const cover = page.locator('[data-testid="course-cover"] img');
    expect(await cover.getAttribute("src")).toMatch(/^\/media\/covers\/[0-9a-f]{64}\.png$/);
    expect(await cover.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBe(480);

    await page.fill('input[name="title"][placeholder="新章节标题"]', "第一章 握笔");
    await submit('form:has(input[placeholder="新章节标题"]) button');
    const chapter = page.locator(".chapter").first();
    await chapter.locator('input[placeholder="新课时标题"]').fill("试看：怎样握笔");
    await chapter.locator('select[name="kind"]').selectOption("video");
    await chapter.locator('input[name="durationSec"]').fill("95");
    await chapter.locator('input[name="isTrial"]').check();
    await submit(".chapter .add-lesson button");
    const lessonRow = page.locator(".chapter tr[data-lesson-id]").first();
    expect(await lessonRow.textContent()).toContain("试看");
    expect(await lessonRow.locator('[data-testid="lesson-media"]').textContent()).toBe("未上传");

    await Promise.all([page.waitForURL(/\/admin\/lessons\//), lessonRow.locator("a").click()]);
    const clip = Buffer.alloc(2048, 7);
    await page.setInputFiles('input[name="file"]', { name: "grip.mp4", mimeType: "video/mp4", buffer: clip });
    await submit('[data-testid="media-form"] button');
    expect(await page.textContent('[data-testid="lesson-media"]')).toBe("video/mp4 · 2.0 KB");
    await shot("10-lesson");

    await page.click(`a[href="/admin/courses/${courseId}"]`);
    await submit('[data-testid="publish-toggle"]');
    expect(await page.textContent('[data-testid="course-status"]')).toBe("已上架");
    await shot("11-course");

    const catalog = (await (await bed.worker.fetch("/api/courses")).json()) as { items: { id: string; priceFen: number }[] };
    expect(catalog.items.find((c) => c.id === courseId)).toMatchObject({ priceFen: 1990 });
    const media = await bed.db.prepare("SELECT media_bytes, media_content_type FROM lessons WHERE course_id = ?").bind(courseId).first();
    expect(media).toEqual({ media_bytes: 2048, media_content_type: "video/mp4" });

    await page.click('nav a[href="/admin/courses"]');
    expect(await page.textContent(`tr[data-course-id="${courseId}"]`)).toContain("¥19.90");
    await shot("12-courses");
  });

  it("refunds part of an order paid through WeChat Pay, and the dashboard counts it", async () => {
    expect(courseId).not.toBe("");
    const login = (await (await bed.worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:buyer-1" }) })).json()) as { token: string };
    const placed = await bed.worker.fetch("/api/orders", { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${login.token}` }, body: JSON.stringify({ courseId }) });
    expect(placed.status).toBe(201);
    const orderId = ((await placed.json()) as { order: { id: string } }).order.id;
    await sandboxNotifies("/sandbox/pay", { out_trade_no: orderId });

    await page.click('nav a[href="/admin"]');
    expect(await page.textContent('[data-testid="paid-today"] b')).toBe("1");
    expect(await page.textContent('[data-testid="revenue-today"] b')).toBe("¥19.90");

    await page.click('nav a[href="/admin/orders"]');
    await page.selectOption('select[name="status"]', "paid");
    await Promise.all([page.waitForURL(/status=paid/), page.click("form.search button")]);
    await shot("13-orders");
    await Promise.all([page.waitForURL(/\/admin\/orders\/O/), page.click(`tr[data-order-id="${orderId}"] a`)]);
    await page.fill('input[name="amount"]', "5.00");
    await page.fill('input[name="reason"]', "课程与描述不符，退一部分");
    await page.check('input[name="confirm"]');
    await submit('[data-testid="refund-form"] button');
    expect(await page.textContent(".notice")).toContain("退款已提交");
    expect(await page.textContent('[data-testid="refunds-table"] tbody tr')).toContain("¥5.00");

    const refund = await bed.db.prepare("SELECT id, amount_fen, status FROM refunds WHERE order_id = ?").bind(orderId).first<{ id: string; amount_fen: number; status: string }>();
    expect(refund).toMatchObject({ amount_fen: 500, status: "processing" });
    await page.click('nav a[href="/admin"]');
    expect(await page.textContent('[data-testid="pending-refunds"] b')).toBe("1");
    await shot("16-dashboard");

    await sandboxNotifies(`/sandbox/refund/${refund!.id}`, { status: "SUCCESS" });
    await page.goto(`${bed.worker.url}/admin/orders/${orderId}`);
    expect(await page.textContent('[data-testid="order-refunded"]')).toBe("¥5.00");
    expect(await page.textContent('[data-testid="order-refundable"]')).toBe("¥14.90");
    expect(await page.textContent('[data-testid="refunds-table"] tbody tr')).toContain("已退款");
    await shot("14-order");

    await page.click('nav a[href="/admin/audit"]');
    for (const action of ["course.create", "chapter.create", "lesson.create", "lesson.media.upload", "course.publish", "order.refund_requested"]) {
      expect(await page.locator(`[data-testid="audit-table"] tr[data-action="${action}"]`).count(), action).toBe(1);
    }
    await shot("15-audit");
  });
});
