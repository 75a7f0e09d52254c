import { describe, expect, it } from "vitest";
import { call } from "../support/api";

/** Every URL an HTML page would make a browser fetch: src/href attributes and ES module imports. */
function referencedUrls(html: string): string[] {
  const attributes = [...html.matchAll(/\b(?:src|href)\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]);
  const imports = [...html.matchAll(/\bimport\b[^'"]*["']([^"']+)["']/g)].map((m) => m[1]);
  return [...attributes, ...imports];
}

describe("the API reference at /docs", () => {
  it("loads nothing from another host, so it works offline and where public CDNs are blocked", async () => {
    const res = await call("/docs");
    expect(res.status).toBe(200);
    const html = await res.text();
    const urls = referencedUrls(html);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) expect(url, `${url} must be served by this worker`).toMatch(/^\/(?!\/)/);
    expect(html).not.toMatch(/\/\/cdn\.|jsdelivr|unpkg/);
    expect(html).toContain('"withDefaultFonts": false');
  });

  it("serves the viewer's script itself, cacheable", async () => {
    const html = await (await call("/docs")).text();
    const script = referencedUrls(html).find((url) => url.startsWith("/docs/assets/"));
    expect(script).toBeDefined();
    const res = await call(script!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/javascript/);
    expect(res.headers.get("cache-control")).toContain("immutable");
    const source = await res.text();
    expect(source.length).toBeGreaterThan(100_000);
    expect(source).toContain("createApiReference");
  });

  it("answers any other asset name with a 404", async () => {
    expect((await call("/docs/assets/api-reference-0.0.0.js")).status).toBe(404);
  });
});
