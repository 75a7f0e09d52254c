import { env } from "cloudflare:workers";
import { expect, it } from "vitest";
import { executeTransfers } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { adminToken, api, openRound, paySubscription, seedMembers, subscribe } from "./support";

it("我的股份 shows a shareholder's shares, part of the cap table, subscriptions and dividends", async () => {
  const id = await openRound({ targetShares: 4 });
  const [a, b] = await seedMembers("mine", 2);
  await paySubscription((await subscribe(a, id, 3)).body.subscription.id);
  await paySubscription((await subscribe(b, id, 1)).body.subscription.id);
  const admin = await adminToken();
  expect((await api(`/api/admin/rounds/${id}/close`, { token: admin, method: "POST" })).status).toBe(200);
  await executeTransfers(env.DB, [{ id: "order:mine:revenue", debitAccountId: "wechat_clearing", creditAccountId: "revenue_course", amountFen: 10_000, code: "course_sale", reference: "order:mine" }]);
  await api("/api/admin/dividend-pool/allocations", { token: admin, body: { amountFen: 10_000, reason: "分红" } });
  expect((await api("/api/admin/dividends", { token: admin, body: { period: "2026-12", amountFen: 10_000 } })).status).toBe(200);

  const mine = await api("/api/me/shares", { token: a });
  expect(mine.status).toBe(200);
  expect(mine.body).toMatchObject({
    holdings: [{ roundId: id, shares: 3 }],
    totalShares: 3,
    issuedShares: 4,
    percentBps: 7500,
    subscriptions: [{ roundId: id, status: "paid", shares: 3, amountFen: 300_000 }],
    dividends: [{ period: "2026-12", shares: 3, amountFen: 7_500 }],
    dividendsPayableFen: 7_500,
  });
  const none = await api("/api/me/shares", { token: (await seedMembers("nobody", 1))[0] });
  expect(none.body).toMatchObject({ holdings: [], totalShares: 0, percentBps: 0, dividendsPayableFen: 0 });
  await expectLedgerInvariants(env.DB);
});
