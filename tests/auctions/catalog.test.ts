import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE } from "../support/api";
import { api, bid, createLot, memberWithToken } from "./support";

describe("lots for members", () => {
  it("lists live and upcoming lots with current price, end time and bid count", async () => {
    const live = await createLot();
    const upcoming = await createLot({ startsInMs: 3_600_000, endsInMs: 7_200_000 });
    const a = await memberWithToken();
    await bid(live.id, a.token, { amountFen: 50_000 });
    await env.LOT_AUCTIONS.getByName(live.id).flush();

    const liveList = await api("/api/lots?state=live");
    expect(liveList.body.items.map((l: any) => l.id)).toContain(live.id);
    expect(liveList.body.items.find((l: any) => l.id === live.id)).toMatchObject({ state: "live", currentPriceFen: 50_000, bidCount: 1, endsAt: live.endsAt });
    expect(liveList.body.items.map((l: any) => l.id)).not.toContain(upcoming.id);
    expect((await api("/api/lots?state=upcoming")).body.items.map((l: any) => l.id)).toEqual([upcoming.id]);
    expect((await api("/api/lots?state=soon")).status).toBe(422);
  });

  it("shows a lot's live standing; leading only to the leader; the reserve's amount never", async () => {
    const lot = await createLot({ reservePriceFen: 80_000 });
    const [a, b] = [await memberWithToken(), await memberWithToken()];
    await bid(lot.id, a.token, { amountFen: 50_000 });
    const mine = await api(`/api/lots/${lot.id}`, { token: a.token });
    expect(mine.body).toMatchObject({ currentPriceFen: 50_000, nextMinFen: 51_000, leading: true, reserveMet: false, leader: { paddle: 1, label: "1号竞拍者" } });
    expect(JSON.stringify(mine.body)).not.toContain("80000");
    expect((await api(`/api/lots/${lot.id}`, { token: b.token })).body.leading).toBe(false);
    expect((await api(`/api/lots/lot_nope`)).status).toBe(404);
  });
});

describe("lots for admins", () => {
  it("creates a lot only for an admin, audited, and refuses an inconsistent one", async () => {
    const member = await memberWithToken();
    const input = { title: "画", startPriceFen: 1000, incrementLadder: [{ belowFen: null, stepFen: 100 }], startsAt: new Date().toISOString(), endsAt: new Date(Date.now() + 60_000).toISOString() };
    expect((await api("/api/admin/lots", { token: member.token, body: input })).status).toBe(403);
    const admin = await memberWithToken(["admin"]);
    const bad = await api("/api/admin/lots", { token: admin.token, body: { ...input, reservePriceFen: 500, incrementLadder: [{ belowFen: 100, stepFen: 10 }] } });
    expect(bad.status).toBe(422);
    expect(bad.body.errors.map((e: any) => e.path).sort()).toEqual(["incrementLadder", "reservePriceFen"]);
    const created = await api("/api/admin/lots", { token: admin.token, body: input });
    expect(created.status).toBe(201);
    const audit = await env.DB.prepare("SELECT action, actor_id FROM audit_log WHERE target_id = ?").bind(created.body.id).all();
    expect(audit.results).toEqual([{ action: "lot.create", actor_id: admin.id }]);
  });

  it("serves a lot's pictures publicly with long-lived caching", async () => {
    const lot = await createLot();
    const admin = await memberWithToken(["admin"]);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]);
    const put = await exports.default.fetch(`${BASE}/api/admin/lots/${lot.id}/images`, {
      method: "PUT",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "image/png" },
      body: png,
    });
    const up = { status: put.status, body: (await put.json()) as any };
    expect(up.status).toBe(201);
    const img = await exports.default.fetch(`${BASE}${up.body.url}`);
    expect(img.status).toBe(200);
    expect(new Uint8Array(await img.arrayBuffer())).toEqual(png);
    expect(img.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const again = await exports.default.fetch(`${BASE}${up.body.url}`, { headers: { "if-none-match": img.headers.get("etag")! } });
    expect(again.status).toBe(304);
    expect((await api(`/api/lots/${lot.id}`)).body.images).toEqual([up.body]);
    expect((await api(`/api/admin/lots/${lot.id}/images`, { method: "PUT", token: admin.token, headers: { "content-type": "text/plain" }, body: "x" })).status).toBe(415);
  });
});
