import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../scripts/local-worker.mjs";

/** A free local port, so the sandbox can be told where the worker's notify URL is before it starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    }).on("error", reject);
  });
}

describe("paying over real HTTP, with the sandbox delivering the notification itself", () => {
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  beforeAll(async () => {
    const port = await freePort();
    worker = await startLocalWorker({ port, bindings: { NOTIFY_BASE_URL: `http://127.0.0.1:${port}` } });
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("logs in, orders, pays in the sandbox, and the order is paid by the delivered notification", async () => {
    const now = Date.now();
    await worker.db.prepare("INSERT INTO courses (id, title, price_fen, status, created_at, updated_at) VALUES ('c-http', '书法入门', 19900, 'published', ?, ?)").bind(now, now).run();
    const login = (await (await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:http-buyer" }) })).json()) as { token: string };
    const auth = { authorization: `Bearer ${login.token}`, "content-type": "application/json" };

    const placed = await worker.fetch("/api/orders", { method: "POST", headers: auth, body: JSON.stringify({ courseId: "c-http" }) });
    expect(placed.status).toBe(201);
    const { order, payParams } = (await placed.json()) as { order: { id: string }; payParams: { package: string } };
    expect(payParams.package).toMatch(/^prepay_id=/);

    // "The member paid": the sandbox signs the notification and POSTs it to the notify_url given at prepay.
    const sandbox = await worker.mf.getWorker("wechat-sandbox");
    const paid = await sandbox.fetch("https://api.mch.weixin.qq.com/sandbox/pay", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ out_trade_no: order.id }) });
    const notification = (await paid.json()) as { url: string; delivered: number | string };
    expect(notification.url).toMatch(/\/api\/pay\/notify$/);
    expect(notification.delivered).toBe(204);
    const seen = (await (await worker.fetch(`/api/orders/${order.id}`, { headers: auth })).json()) as { status: string };
    expect(seen.status).toBe("paid");
  });
});
