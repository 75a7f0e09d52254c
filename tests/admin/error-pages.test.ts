import { beforeAll, describe, expect, it } from "vitest";
import { fetchWorker, loginSession, seedAdmin } from "./support";

describe("console error pages keep the operator inside the console", () => {
  let cookie: string;
  let csrfToken: string;
  beforeAll(async () => {
    await seedAdmin("erin");
    ({ cookie, csrf: csrfToken } = await loginSession("erin"));
  });

  async function get(path: string) {
    const res = await fetchWorker(path, { headers: { cookie } });
    return { res, html: await res.text() };
  }

  it("answers an unknown console address with a styled 404 inside the layout, menu included", async () => {
    const { res, html } = await get("/admin/no-such-page");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(html).toContain('data-testid="error-page" data-status="404"');
    expect(html).toContain("页面不存在");
    expect(html).toContain('href="/admin/members"');
    expect(html).toContain('href="/admin/audit"');
    expect(html).toContain("返回概览");
  });

  it("names what a detail page could not find, inside the layout", async () => {
    for (const [path, text] of [
      ["/admin/members/nobody", "没有这个会员。"],
      ["/admin/orders/nothing", "没有这个订单。"],
    ]) {
      const { res, html } = await get(path);
      expect(res.status, path).toBe(404);
      expect(html, path).toContain(text);
      expect(html, path).toContain('data-testid="error-page"');
      expect(html, path).toContain('href="/admin/members"');
    }
  });

  it("refuses a cross-site form post with a styled 403 page", async () => {
    const res = await fetchWorker("/admin/logout", {
      method: "POST",
      headers: { cookie, origin: "https://evil.example", "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ _csrf: csrfToken }),
    });
    expect(res.status).toBe(403);
    const html = await res.text();
    expect(html).toContain('data-status="403"');
    expect(html).toContain("跨站请求已拒绝");
  });

  it("still sends a stranger to the login page rather than telling which addresses exist", async () => {
    const res = await fetchWorker("/admin/no-such-page");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/login");
  });
});
