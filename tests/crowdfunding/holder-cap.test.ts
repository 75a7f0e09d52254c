// The distinct-shareholder cap (Securities Law art. 9: at most 200 specific people), tested with the cap set low.
import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { expireReservationStatements } from "../../worker/crowdfunding/subscriptions";
import { adminToken, api, holders, openRound, roundRow, seedMembers, setSetting, subscribe } from "./support";

it("lets exactly `cap` new members in when many subscribe at once, across rounds", async () => {
  await setSetting("crowdfunding.holderCap", 5);
  const a = await openRound();
  const b = await openRound();
  const tokens = await seedMembers("cap", 30);
  const results = await Promise.all(tokens.map((t, i) => subscribe(t, i % 2 ? a : b, 1)));
  expect(results.map((r) => r.body.type ?? r.status), JSON.stringify(results[0].body)).toContain(201);
  expect(results.filter((r) => r.status === 201)).toHaveLength(5);
  const refused = results.filter((r) => r.status !== 201);
  expect(refused.every((r) => r.status === 409 && r.body.type === "/problems/holder-cap-reached")).toBe(true);
  expect(await holders()).toBe(5);
  const reserved = (await env.DB.prepare("SELECT sum(reserved_shares) AS n FROM rounds WHERE id IN (?, ?)").bind(a, b).first<{ n: number }>())!.n;
  expect(reserved).toBe(5);

  // A member already counted still subscribes to another round: they add nobody.
  const holder = results.findIndex((r) => r.status === 201);
  const c = await openRound();
  expect((await subscribe(tokens[holder], c, 1)).status).toBe(201);
  expect(await holders()).toBe(5);
  await setSetting("crowdfunding.holderCap", 200);
}, 60_000);

it("frees a place when an unpaid reservation expires, and never counts past 200 whatever the setting", async () => {
  await setSetting("crowdfunding.holderCap", (await holders()) + 2);
  const id = await openRound();
  const [x, y, z] = await seedMembers("exp", 3);
  const sx = (await subscribe(x, id, 4)).body.subscription.id;
  expect((await subscribe(y, id, 1)).status).toBe(201);
  expect((await subscribe(z, id, 1)).body.type).toBe("/problems/holder-cap-reached");
  const before = (await roundRow(id))!.reserved_shares;

  await env.DB.batch(expireReservationStatements(env.DB, sx, Date.now()));
  expect((await roundRow(id))!.reserved_shares).toBe(before - 4);
  // Expiring again releases nothing more.
  await env.DB.batch(expireReservationStatements(env.DB, sx, Date.now()));
  expect((await roundRow(id))!.reserved_shares).toBe(before - 4);
  expect((await subscribe(z, id, 1)).status).toBe(201);

  // The legal ceiling holds in the database whatever is stored as the setting.
  await expect(env.DB.prepare("UPDATE shareholder_count SET cap = 201 WHERE id = 'all'").run()).rejects.toThrow(/CHECK/);
  await setSetting("crowdfunding.holderCap", 200);
});

it("is an admin setting that can never exceed the legal 200", async () => {
  const token = await adminToken();
  const patch = (value: unknown) => api("/api/admin/settings", { token, method: "PATCH", body: { "crowdfunding.holderCap": value } });
  expect((await patch(201)).status).toBe(422);
  expect((await patch(0)).status).toBe(422);
  expect((await patch(50)).status).toBe(200);
  const audit = await env.DB.prepare("SELECT after FROM audit_log WHERE action LIKE 'setting%' AND target_id = 'crowdfunding.holderCap'").first<{ after: string }>();
  expect(audit?.after).toContain("50");
  await setSetting("crowdfunding.holderCap", 200);
});
