import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../scripts/local-worker.mjs";
import { launchChromium } from "./support/console-browser";

// /docs as a developer in mainland China or on a train sees it: every request to a host other than the
// worker is cut off, and the API reference must still render.

describe("the API reference with the network cut off", () => {
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  let browser: Browser;

  beforeAll(async () => {
    worker = await startLocalWorker({ bindings: { LOG_LEVEL: "warn" } });
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  it("renders the operations from the worker alone and asks no other host for anything", async () => {
    const context = await browser.newContext();
    const elsewhere: string[] = [];
    const own = new URL(worker.url).host;
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      if (url.host === own || url.protocol === "data:" || url.protocol === "blob:") return route.continue();
      elsewhere.push(url.href);
      return route.abort("internetdisconnected");
    });
    const page = await context.newPage();
    await page.goto(`${worker.url}/docs`);
    // The document's title and an operation's summary appear once the viewer has loaded /openapi.json.
    await page.getByText("知识社群 · channel partners API").first().waitFor({ timeout: 30_000 });
    expect(await page.locator("body").textContent()).toContain("/health");
    expect(elsewhere).toEqual([]);
    await context.close();
  }, 60_000);
});
