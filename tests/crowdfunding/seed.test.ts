import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { demoRound, seedStatements } from "../../schema/seed.mjs";
import { login } from "../support/api";
import { api } from "./support";

const seed = () => env.DB.batch(seedStatements().map((s) => env.DB.prepare(s)));

it("seeds an open demo round that demo-partner sees and demo-member does not; re-seeding keeps its shares", async () => {
  await seed();
  const partner = await login("demo-partner");
  const member = await login("demo-member");
  expect((await api(`/api/rounds/${demoRound.id}`, { token: partner.token })).body).toMatchObject({ state: "open", sharesLeft: 200 });
  expect((await api(`/api/rounds/${demoRound.id}`, { token: member.token })).status).toBe(404);
  const sub = await api(`/api/rounds/${demoRound.id}/subscriptions`, { token: partner.token, body: { shares: 2, disclosureVersion: 1 } });
  expect(sub.status).toBe(201);
  await seed();
  expect((await api(`/api/rounds/${demoRound.id}`, { token: partner.token })).body).toMatchObject({ reservedShares: 2, sharesLeft: 198 });
});
