import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { adminToken, api, roundInput, seedMember } from "./support";

const audit = (targetId: string) =>
  env.DB.prepare("SELECT action, before, after FROM audit_log WHERE target_type = 'round' AND target_id = ? ORDER BY id").bind(targetId).all<{ action: string }>();

describe("running rounds in the console API", () => {
  it("creates a draft, edits it, opens it — each change audited and each state recorded", async () => {
    const token = await adminToken();
    const created = await api("/api/admin/rounds", { token, body: roundInput() });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ state: "draft", eligibleTiers: ["channel_partner"], tierOnSuccess: "shareholder", disclosureVersion: 1 });
    const id = created.body.id;

    const edited = await api(`/api/admin/rounds/${id}`, { token, method: "PATCH", body: { riskDisclosure: "新版风险揭示", targetShares: 60 } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ targetShares: 60, riskDisclosure: "新版风险揭示", disclosureVersion: 2 });

    expect((await api(`/api/admin/rounds/${id}/open`, { token, method: "POST" })).body.state).toBe("open");
    expect((await audit(id)).results.map((r) => r.action)).toEqual(["round.created", "round.updated", "round.opened"]);
    const detail = await api(`/api/admin/rounds/${id}`, { token });
    expect(detail.body.history.map((h: { from: string | null; to: string }) => [h.from, h.to])).toEqual([[null, "draft"], ["draft", "open"]]);
  });

  it("freezes the terms once the round is open (409) and records nothing for the refused edit", async () => {
    const token = await adminToken();
    const id = (await api("/api/admin/rounds", { token, body: roundInput() })).body.id;
    await api(`/api/admin/rounds/${id}/open`, { token, method: "POST" });
    const before = (await audit(id)).results.length;
    const res = await api(`/api/admin/rounds/${id}`, { token, method: "PATCH", body: { sharePriceFen: 1 } });
    expect(res.body).toMatchObject({ status: 409, type: "/problems/round-not-draft" });
    expect((await api(`/api/admin/rounds/${id}/open`, { token, method: "POST" })).status).toBe(409);
    expect((await audit(id)).results.length).toBe(before);
  });

  it("refuses terms that do not fit together (422) and writes nothing", async () => {
    const token = await adminToken();
    const count = async () => (await env.DB.prepare("SELECT count(*) AS n FROM rounds").first<{ n: number }>())!.n;
    const n = await count();
    for (const bad of [{ minShares: 30, maxShares: 20 }, { targetShares: 101 }, { maxShares: 101 }, { closesAt: new Date(Date.now() - 7200_000).toISOString() }, { sharePriceFen: 10.5 }, { eligibleTiers: [] }]) {
      const res = await api("/api/admin/rounds", { token, body: roundInput(bad) });
      expect(res.status, JSON.stringify(bad)).toBe(422);
    }
    expect(await count()).toBe(n);
  });

  it("is for admins only (403 for a member, 401 without a token)", async () => {
    const member = await seedMember("adm-not-admin");
    expect((await api("/api/admin/rounds", { token: member, body: roundInput() })).status).toBe(403);
    expect((await api("/api/admin/rounds", { body: roundInput() })).status).toBe(401);
    expect((await api("/api/admin/cap-table", { token: member })).status).toBe(403);
  });
});
