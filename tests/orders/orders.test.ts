import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pemToDer, verifySha256WithRsa } from "../../worker/wechat/pay/crypto";
import { placeOrder, seedCourse, type PlacedOrder, checkLedgerAfterEach } from "./support";
import { call, mintMember } from "../support/api";

/** The merchant's public key, derived from the private key the worker signs with. */
async function merchantPublicKey() {
  const priv = await crypto.subtle.importKey("pkcs8", pemToDer(env.WECHATPAY_PRIVATE_KEY), { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, true, ["sign"]);
  const { n, e } = (await crypto.subtle.exportKey("jwk", priv)) as JsonWebKey;
  return crypto.subtle.importKey("jwk", { kty: "RSA", n, e, alg: "RS256", ext: true }, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]);
}

checkLedgerAfterEach();

describe("placing a course order", () => {
  it("creates a pending order at the course price with wx.requestPayment parameters signed by the merchant key", async () => {
    const token = (await mintMember({ id: "m-place" })).token;
    await seedCourse("c-place", 12800);
    const res = await call("/api/orders", { token, method: "POST", json: { courseId: "c-place" } });
    expect(res.status).toBe(201);
    const { order, payParams } = await res.json<PlacedOrder>();
    expect(order).toMatchObject({ status: "pending", amountFen: 12800 });
    expect(payParams).toMatchObject({ signType: "RSA", package: expect.stringMatching(/^prepay_id=wx/) });
    const message = `${env.WECHAT_APPID}\n${payParams.timeStamp}\n${payParams.nonceStr}\n${payParams.package}\n`;
    expect(await verifySha256WithRsa(await merchantPublicKey(), message, payParams.paySign)).toBe(true);
  });

  it("reuses the open order (same prepay, price fixed at creation) even after the course price changes", async () => {
    const token = (await mintMember({ id: "m-reuse" })).token;
    await seedCourse("c-reuse", 5000);
    const first = await placeOrder(token, "c-reuse");
    await env.DB.prepare("UPDATE courses SET price_fen = 7000 WHERE id = 'c-reuse'").run();
    const res = await call("/api/orders", { token, method: "POST", json: { courseId: "c-reuse" } });
    expect(res.status).toBe(200);
    const again = await res.json<PlacedOrder>();
    expect(again.order).toMatchObject({ id: first.order.id, amountFen: 5000 });
    expect(again.payParams.package).toBe(first.payParams.package);
  });

  it("opens exactly one order when the member taps buy ten times at once", async () => {
    const token = (await mintMember({ id: "m-race" })).token;
    await seedCourse("c-race", 3000);
    const placed = await Promise.all(Array.from({ length: 10 }, () => placeOrder(token, "c-race")));
    expect(new Set(placed.map((p) => p.order.id)).size).toBe(1);
    const { count } = (await env.DB.prepare("SELECT count(*) AS count FROM orders WHERE member_id = 'm-race'").first<{ count: number }>())!;
    expect(count).toBe(1);
  });

  it("replaces an open order whose payment window has passed", async () => {
    const token = (await mintMember({ id: "m-expired" })).token;
    await seedCourse("c-expired", 3000);
    const first = await placeOrder(token, "c-expired");
    await env.DB.prepare("UPDATE orders SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, first.order.id).run();
    const second = await placeOrder(token, "c-expired");
    expect(second.order.id).not.toBe(first.order.id);
    expect((await (await call(`/api/orders/${first.order.id}`, { token })).json<{ status: string }>()).status).toBe("closed");
  });

  it("refuses a course the member can already learn (409), a free course (409) and an unpublished one (404)", async () => {
    const token = (await mintMember({ id: "m-refuse" })).token;
    await seedCourse("c-owned", 1000);
    await seedCourse("c-free", 0);
    await seedCourse("c-draft", 1000, "draft");
    await env.DB.prepare("INSERT INTO entitlements (member_id, course_id, source, granted_at) VALUES ('m-refuse', 'c-owned', 'admin', ?)").bind(Date.now()).run();
    const owned = await call("/api/orders", { token, method: "POST", json: { courseId: "c-owned" } });
    expect(owned.status).toBe(409);
    expect(await owned.json()).toMatchObject({ type: "/problems/already-entitled" });
    const free = await call("/api/orders", { token, method: "POST", json: { courseId: "c-free" } });
    expect(await free.json()).toMatchObject({ status: 409, type: "/problems/course-free" });
    expect((await call("/api/orders", { token, method: "POST", json: { courseId: "c-draft" } })).status).toBe(404);
    expect((await call("/api/orders", { token, method: "POST", json: { courseId: "nope" } })).status).toBe(404);
  });

  it("refuses a member whose tier already opens every course (409)", async () => {
    await seedCourse("c-holder", 1000);
    const shareholder = (await mintMember({ id: "m-holder", tier: "shareholder" })).token;
    const res = await call("/api/orders", { token: shareholder, method: "POST", json: { courseId: "c-holder" } });
    expect(await res.json()).toMatchObject({ status: 409, type: "/problems/already-entitled" });
  });

  it("answers a retried request with the same Idempotency-Key with the first response", async () => {
    const token = (await mintMember({ id: "m-idem" })).token;
    await seedCourse("c-idem", 1500);
    const send = (courseId: string) => call("/api/orders", { token, method: "POST", json: { courseId }, headers: { "idempotency-key": "buy-c-idem-1" } });
    const first = await send("c-idem");
    expect(first.status).toBe(201);
    const replay = await send("c-idem");
    expect(replay.status).toBe(201);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(await replay.json()).toEqual(await first.json());
    expect((await send("c-other")).status).toBe(409);
  });

  it("needs a member token and a courseId", async () => {
    expect((await call("/api/orders", { method: "POST", json: { courseId: "x" } })).status).toBe(401);
    const token = (await mintMember({ id: "m-invalid" })).token;
    const res = await call("/api/orders", { token, method: "POST", json: { course: "x" } });
    expect(res.status).toBe(422);
    expect((await env.DB.prepare("SELECT count(*) AS n FROM orders WHERE member_id = 'm-invalid'").first<{ n: number }>())!.n).toBe(0);
  });
});

describe("reading orders", () => {
  it("shows an order to its owner only; others get 404", async () => {
    const owner = (await mintMember({ id: "m-owner" })).token;
    const other = (await mintMember({ id: "m-other" })).token;
    await seedCourse("c-owner", 990);
    const { order } = await placeOrder(owner, "c-owner");
    const mine = await call(`/api/orders/${order.id}`, { token: owner });
    expect(mine.status).toBe(200);
    expect(await mine.json()).toMatchObject({ id: order.id, status: "pending", refunds: [] });
    expect((await call(`/api/orders/${order.id}`, { token: other })).status).toBe(404);
    expect((await call(`/api/orders/${order.id}`)).status).toBe(401);
  });

  it("lists the member's own orders newest first, page by page", async () => {
    const token = (await mintMember({ id: "m-list" })).token;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      await seedCourse(`c-list-${i}`, 100 + i);
      ids.push((await placeOrder(token, `c-list-${i}`)).order.id);
    }
    await placeOrder((await mintMember({ id: "m-list-other" })).token, "c-list-0");
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const q: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await (await call(`/api/orders${q}`, { token })).json<{ items: { id: string }[]; nextCursor: string | null }>();
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((o) => o.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...ids].reverse());
    expect((await call("/api/orders?cursor=%%%", { token })).status).toBe(422);
    expect((await call("/api/orders?limit=101", { token })).status).toBe(422);
  });
});
