import { describe, expect, it } from "vitest";
import { ApiClient, buildPath, buildQuery, type Credentials } from "../../../mini-program/miniprogram/lib/client";
import { RequestError } from "../../../mini-program/miniprogram/lib/problems";
import { ok, problem, scriptedTransport } from "./fake-transport";

const page = { items: [], nextCursor: null };

function client(transport: ReturnType<typeof scriptedTransport>["transport"], credentials?: Credentials) {
  const delays: number[] = [];
  let keys = 0;
  const api = new ApiClient({
    baseUrl: "https://api.test",
    transport,
    credentials,
    sleep: async (ms) => void delays.push(ms),
    random: () => 1,
    newKey: () => `key-${++keys}`,
  });
  return { api, delays };
}

function tokens(...issued: string[]) {
  let current: string | null = issued.shift() ?? null;
  let renewals = 0;
  const credentials: Credentials = {
    settled: async () => undefined,
    token: () => current,
    renew: async (refused) => {
      expect(refused).toBe(current);
      renewals++;
      current = issued.shift() ?? null;
    },
  };
  return { credentials, renewals: () => renewals };
}

describe("the request layer", () => {
  it("builds the documented path and query and carries the JWT", async () => {
    const { transport, sent } = scriptedTransport(ok(page));
    const { credentials } = tokens("jwt-1");
    await client(transport, credentials).api.get("/api/courses", { query: { limit: 10, cursor: "a b" } });
    expect(sent[0].url).toBe("https://api.test/api/courses?limit=10&cursor=a%20b");
    expect(sent[0].headers.Authorization).toBe("Bearer jwt-1");
    expect(buildPath("/api/courses/{id}", { id: "c/1" })).toBe("/api/courses/c%2F1");
    expect(() => buildPath("/api/courses/{id}", {})).toThrow(/id/);
    expect(buildQuery({ a: undefined, b: null })).toBe("");
  });

  it("retries a GET after a network failure and a 503, backing off", async () => {
    const { transport, sent } = scriptedTransport("network-failure", problem(503, "internal"), ok(page));
    const { api, delays } = client(transport);
    await expect(api.get("/api/courses")).resolves.toEqual(page);
    expect(sent).toHaveLength(3);
    expect(delays).toEqual([300, 600]);
  });

  it("gives up on a GET after three attempts with a readable message", async () => {
    const { transport, sent } = scriptedTransport("network-failure", "network-failure", "network-failure");
    await expect(client(transport).api.get("/api/courses")).rejects.toMatchObject({ status: 0, message: "网络异常，请稍后重试" });
    expect(sent).toHaveLength(3);
  });

  it("never retries a POST that has no Idempotency-Key", async () => {
    const { transport, sent } = scriptedTransport(problem(503, "internal"));
    const { credentials } = tokens("jwt-1");
    await expect(client(transport, credentials).api.post("/api/me/referrer", { body: { inviteCode: "K7P3QW9M" } })).rejects.toBeInstanceOf(RequestError);
    expect(sent).toHaveLength(1);
    expect(sent[0].headers["Idempotency-Key"]).toBeUndefined();
  });

  it("retries an idempotent POST with the same key for every attempt", async () => {
    const member = { status: "bound", member: {} };
    const { transport, sent } = scriptedTransport("network-failure", problem(502, "upstream-error"), ok(member));
    const { credentials } = tokens("jwt-1");
    const { api } = client(transport, credentials);
    await api.post("/api/me/referrer", { body: { inviteCode: "K7P3QW9M" }, idempotent: true });
    expect(sent.map((r) => r.headers["Idempotency-Key"])).toEqual(["key-1", "key-1", "key-1"]);
    expect(sent[0].body).toEqual({ inviteCode: "K7P3QW9M" });
    // A new logical action gets a new key.
    const next = scriptedTransport(ok(member));
    await client(next.transport, credentials).api.post("/api/me/referrer", { body: { inviteCode: "K7P3QW9M" }, idempotent: "tap-42" });
    expect(next.sent[0].headers["Idempotency-Key"]).toBe("tap-42");
  });

  it("logs in again on 401 and retries once with the new token", async () => {
    const { transport, sent } = scriptedTransport(problem(401, "unauthorized"), ok({ id: "m1" }));
    const t = tokens("expired", "fresh");
    await expect(client(transport, t.credentials).api.get("/api/me")).resolves.toEqual({ id: "m1" });
    expect(sent.map((r) => r.headers.Authorization)).toEqual(["Bearer expired", "Bearer fresh"]);
    expect(t.renewals()).toBe(1);
  });

  it("stops after the retry when the new login is refused too", async () => {
    const { transport, sent } = scriptedTransport(problem(401, "unauthorized"), problem(401, "unauthorized"));
    const t = tokens("expired", "also-refused");
    await expect(client(transport, t.credentials).api.get("/api/me")).rejects.toMatchObject({ status: 401, message: "请先登录" });
    expect(sent).toHaveLength(2);
    expect(t.renewals()).toBe(1);
  });

  it("sends anonymous calls without a token and without renewing", async () => {
    const { transport, sent } = scriptedTransport(problem(401, "unauthorized"));
    const t = tokens("jwt-1");
    await expect(client(transport, t.credentials).api.post("/api/auth/wechat", { body: { code: "x" }, anonymous: true })).rejects.toMatchObject({ status: 401 });
    expect(sent[0].headers.Authorization).toBeUndefined();
    expect(t.renewals()).toBe(0);
  });

  it("rejects with the Chinese message of the problem type", async () => {
    const { transport } = scriptedTransport(problem(422, "validation-failed"));
    await expect(client(transport).api.get("/api/courses", { query: { limit: 1000 } })).rejects.toMatchObject({
      status: 422,
      type: "/problems/validation-failed",
      message: "输入有误，请检查后重试",
    });
  });

  it("is typed by the worker's documented routes (checked by npm run typecheck)", async () => {
    const { transport } = scriptedTransport(ok({ id: "c1", priceFen: 100, chapters: [] }));
    const { api } = client(transport);
    const course = await api.get("/api/courses/{id}", { path: { id: "c1" } });
    const priceFen: number = course.priceFen;
    expect(priceFen).toBe(100);
    const misuse = () => {
      // @ts-expect-error the path parameter is required
      void api.get("/api/courses/{id}");
      // @ts-expect-error not a route the worker documents
      void api.get("/api/no-such-route");
      // @ts-expect-error the body must match the worker's schema
      void api.post("/api/me/referrer", { body: { code: "K7P3QW9M" } });
      // @ts-expect-error limit is a number
      void api.get("/api/courses", { query: { limit: "ten" } });
    };
    expect(misuse).toBeTypeOf("function");
  });
});
