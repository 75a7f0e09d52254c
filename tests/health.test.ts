import { describe, expect, it } from "vitest";
import { call } from "./support/api";

describe("the HTTP foundation", () => {
  it("answers /health", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("answers an unknown route with a problem", async () => {
    const res = await call("/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "/problems/not-found", status: 404 });
  });

  it("reaches the WeChat sandbox through an outbound fetch", async () => {
    const res = await fetch("https://api.weixin.qq.com/sns/jscode2session?appid=wx0000000000sandbox&secret=sandbox-app-secret&js_code=sandbox:abc&grant_type=authorization_code");
    expect(await res.json()).toMatchObject({ openid: "abc" });
  });

  it("documents its routes at /openapi.json", async () => {
    const res = await call("/openapi.json");
    const doc = (await res.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain("/health");
  });
});
