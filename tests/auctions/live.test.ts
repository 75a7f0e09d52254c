import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../support/api";
import { api, bid, createLot, memberWithToken } from "./support";

/** A watcher as the mini-program is one: a WebSocket on /api/lots/:id/live, collecting every message. */
async function watch(lotId: string) {
  const res = await exports.default.fetch(`${BASE}/api/lots/${lotId}/live`, { headers: { upgrade: "websocket" } });
  expect(res.status).toBe(101);
  const ws = res.webSocket!;
  const messages: any[] = [];
  ws.addEventListener("message", (e) => {
    messages.push(JSON.parse(e.data as string));
  });
  ws.accept();
  return { ws, messages };
}

async function until(check: () => boolean, ms = 5_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > ms) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe("live lot over WebSocket", () => {
  it("pushes every accepted price, the masked leader, bid count and end time to every watcher", async () => {
    const lot = await createLot({ endsInMs: 30_000, antiSniping: { windowSec: 60, extendSec: 10, maxExtensions: 3 } });
    const [w1, w2] = [await watch(lot.id), await watch(lot.id)];
    await until(() => w1.messages.length > 0 && w2.messages.length > 0);
    expect(w1.messages[0]).toMatchObject({ type: "lot", lotId: lot.id, state: "live", currentPriceFen: null, nextMinFen: 50_000, bidCount: 0, leader: null });

    const [a, b] = [await memberWithToken(), await memberWithToken()];
    const prices: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await bid(lot.id, i % 2 ? b.token : a.token, { amountFen: 50_000 + i * 1_000 });
      expect(res.status).toBe(200);
      prices.push(res.body.currentPriceFen);
    }
    for (const w of [w1, w2]) {
      await until(() => w.messages.length >= 9);
      const pushed = w.messages.slice(1);
      expect(pushed.map((m) => m.currentPriceFen)).toEqual(prices);
      expect(pushed.map((m) => m.bidCount)).toEqual(prices.map((_, i) => i + 1));
      // Masked: paddle numbers, never a member id.
      expect(pushed.map((m) => m.leader.label)).toEqual(prices.map((_, i) => (i % 2 ? "2号竞拍者" : "1号竞拍者")));
      expect(JSON.stringify(pushed)).not.toContain(a.id);
      // The countdown follows the extensions (three at most).
      expect(Date.parse(pushed[7].endsAt) - Date.parse(lot.endsAt)).toBe(30_000);
    }
    w1.ws.close(1000);
    w2.ws.close(1000);
  });

  it("answers a plain GET with a 426 problem and an unknown lot with 404", async () => {
    const lot = await createLot();
    const plain = await api(`/api/lots/${lot.id}/live`);
    expect(plain.status).toBe(426);
    expect(plain.headers.get("content-type")).toContain("application/problem+json");
    const missing = await exports.default.fetch(`${BASE}/api/lots/lot_nope/live`, { headers: { upgrade: "websocket" } });
    expect(missing.status).toBe(404);
  });

  it("is documented in the OpenAPI document with the bid routes", async () => {
    const doc = (await api("/openapi.json")).body;
    expect(Object.keys(doc.paths["/api/lots/{id}/live"].get.responses)).toEqual(expect.arrayContaining(["101", "426"]));
    expect(doc.paths["/api/lots/{id}/bids"].post.responses["409"]).toBeDefined();
  });
});
