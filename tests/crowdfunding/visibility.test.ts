import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, openRound, seedMember } from "./support";

describe("who can learn that a round exists (private placement)", () => {
  it("shows an open round to an eligible channel partner, with shares sold and left", async () => {
    const token = await seedMember("vis-partner");
    const id = await openRound();
    const list = await api("/api/rounds", { token });
    expect(list.status).toBe(200);
    expect(list.body.items.map((r: { id: string }) => r.id)).toContain(id);
    const detail = await api(`/api/rounds/${id}`, { token });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id, state: "open", soldShares: 0, sharesLeft: 100, disclosureVersion: 1, mySubscriptions: [] });
  });

  it("answers 404, never 403, to a member whose tier is not eligible, and leaves the round out of the list", async () => {
    const token = await seedMember("vis-member", "member");
    const id = await openRound();
    const detail = await api(`/api/rounds/${id}`, { token });
    expect(detail.status).toBe(404);
    const missing = await api(`/api/rounds/rnd_does_not_exist`, { token });
    expect(detail.body.type).toBe(missing.body.type);
    expect((await api("/api/rounds", { token })).body.items).toEqual([]);
    expect((await api(`/api/rounds/${id}/subscriptions`, { token, body: { shares: 1, disclosureVersion: 1 } })).status).toBe(404);
    // Not even a malformed body tells them more: 404 before any validation.
    expect((await api(`/api/rounds/${id}/subscriptions`, { token, body: { shares: "many" } })).status).toBe(404);
  });

  it("reads the tier from D1 on each request, not from the token", async () => {
    const stale = await seedMember("vis-stale", "member", { tokenTier: "channel_partner" });
    const id = await openRound();
    expect((await api(`/api/rounds/${id}`, { token: stale })).status).toBe(404);
    await env.DB.prepare("UPDATE members SET tier = 'channel_partner' WHERE id = 'vis-stale'").run();
    expect((await api(`/api/rounds/${id}`, { token: stale })).status).toBe(200);
    await env.DB.prepare("UPDATE members SET tier = 'promoter' WHERE id = 'vis-stale'").run();
    expect((await api(`/api/rounds/${id}`, { token: stale })).status).toBe(404);
  });

  it("keeps drafts from everyone but admins", async () => {
    const token = await seedMember("vis-draft");
    const id = await openRound({}, { open: false });
    expect((await api(`/api/rounds/${id}`, { token })).status).toBe(404);
    expect((await api("/api/rounds", { token })).body.items.map((r: { id: string }) => r.id)).not.toContain(id);
  });

  it("asks for a login first (401), and never lists rounds on public routes", async () => {
    const id = await openRound();
    expect((await api("/api/rounds")).status).toBe(401);
    expect((await api(`/api/rounds/${id}`)).status).toBe(401);
    const courses = await api("/api/courses");
    expect(JSON.stringify(courses.body)).not.toContain(id);
  });
});

describe("a blocked member", () => {
  it("is refused every crowdfunding route (403 member-blocked), whatever their tier", async () => {
    const token = await seedMember("vis-blocked");
    const id = await openRound();
    await env.DB.prepare("UPDATE members SET blocked_at = ? WHERE id = 'vis-blocked'").bind(Date.now()).run();
    for (const res of [await api("/api/rounds", { token }), await api(`/api/rounds/${id}`, { token }), await api("/api/me/shares", { token }), await api(`/api/rounds/${id}/subscriptions`, { token, body: { shares: 1, disclosureVersion: 1 } })]) {
      expect(res.body).toMatchObject({ status: 403, type: "/problems/member-blocked" });
    }
  });
});
