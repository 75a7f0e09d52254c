import { describe, expect, it } from "vitest";
import { createApp } from "../../worker/app";
import { call } from "../support/api";

type OpenApiDoc = { paths: Record<string, Record<string, unknown>> };

describe("the OpenAPI document", () => {
  it("lists every /api route the app serves, with its method", async () => {
    const doc = (await (await call("/openapi.json")).json()) as OpenApiDoc;
    const served = createApp()
      .routes.filter((r) => r.path.startsWith("/api/") && r.method !== "ALL")
      .map((r) => ({ method: r.method.toLowerCase(), path: r.path.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, "{$1}") }));
    expect(served.length).toBeGreaterThan(0);
    const missing = served.filter((r) => !doc.paths[r.path]?.[r.method]).map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
  });

  it("documents the login route and its errors, and the Idempotency-Key header where it is kept", async () => {
    const doc = (await (await call("/openapi.json")).json()) as any;
    const op = doc.paths["/api/auth/wechat"].post;
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(["200", "400", "403", "422", "429", "502", "503"]));
    // Login takes no key: its stored answer would be a token.
    expect((op.parameters ?? []).map((p: { name: string }) => p.name)).not.toContain("idempotency-key");
    const bind = doc.paths["/api/me/referrer"].post;
    expect(bind.parameters.map((p: { name: string }) => p.name)).toContain("idempotency-key");
  });
});
