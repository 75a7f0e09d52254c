import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { voidExpiredPendingTransfers } from "../../worker/ledger/jobs";
import { api, availableFen, balanceOf, checkLedgerAfterEach, earn, seedPerson, setRule, withdraw } from "./support";

checkLedgerAfterEach();

describe("requesting a withdrawal", () => {
  it("reserves the amount as pending transfers: the net into payout_in_flight, the 1% fee as its own leg", async () => {
    const p = await seedPerson("p-fee");
    await earn("p-fee", 10_000);
    const res = await withdraw(p, 5_000);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ amountFen: 5_000, feeFen: 50, netFen: 4_950, status: "pending", statusText: "待审核", approvals: { required: 1, given: 0 } });
    expect(await availableFen("p-fee")).toBe(5_000);
    expect(await balanceOf("payout_in_flight:p-fee")).toMatchObject({ credits_pending: 4_950, credits_posted: 0 });
    expect(await balanceOf("fees")).toMatchObject({ credits_pending: 50 });
    const pending = await env.DB.prepare("SELECT id, amount, timeout_at FROM transfers WHERE reference = ? ORDER BY id").bind(`withdrawal:${res.body.id}`).all();
    expect(pending.results).toEqual([
      { id: `withdrawal:${res.body.id}:fee`, amount: 50, timeout_at: null },
      { id: `withdrawal:${res.body.id}:net`, amount: 4_950, timeout_at: null },
    ]);
  });

  it("the pending-expiry job never voids a withdrawal's reservation (it has no timeout)", async () => {
    const p = await seedPerson("p-noexpiry");
    await earn("p-noexpiry", 1_000);
    const w = (await withdraw(p, 1_000)).body;
    await voidExpiredPendingTransfers(env.DB, new Date(Date.now() + 365 * 24 * 3600_000));
    expect(await availableFen("p-noexpiry")).toBe(0);
    expect(await env.DB.prepare("SELECT COUNT(*) AS n FROM transfers WHERE pending_id = ?").bind(`withdrawal:${w.id}:net`).first("n")).toBe(0);
  });

  it("charges no fee from the fee-free threshold on, and rounds the fee down to the fen", async () => {
    const p = await seedPerson("p-free");
    await earn("p-free", 200_000);
    expect((await withdraw(p, 100_000)).body).toMatchObject({ feeFen: 0, netFen: 100_000 });
    expect((await withdraw(p, 199)).body).toMatchObject({ feeFen: 1, netFen: 198 });
  });

  it("refuses less than the minimum, more than the balance, and non-partners; nothing is written", async () => {
    const p = await seedPerson("p-min");
    const m = await seedPerson("m-plain", { tier: "member" });
    await earn("p-min", 1_000);
    expect((await withdraw(p, 99)).body.type).toBe("/problems/withdrawal-below-minimum");
    expect((await withdraw(p, 1_001)).body.type).toBe("/problems/insufficient-balance");
    expect((await withdraw(m, 100)).status).toBe(403);
    expect((await withdraw(p, 0)).status).toBe(422);
    const rows = await env.DB.prepare("SELECT (SELECT COUNT(*) FROM withdrawals WHERE member_id = 'p-min') AS w, (SELECT COUNT(*) FROM withdrawal_days WHERE member_id = 'p-min') AS d").first();
    expect(rows).toEqual({ w: 0, d: 0 });
    expect(await availableFen("p-min")).toBe(1_000);
  });

  it("enforces the daily count and the daily amount", async () => {
    const p = await seedPerson("p-daily");
    await earn("p-daily", 1_000_000);
    await setRule("dailyCount", 2);
    await setRule("dailyAmountFen", 30_000);
    expect((await withdraw(p, 10_000)).status).toBe(201);
    expect((await withdraw(p, 20_001)).body.type).toBe("/problems/withdrawal-daily-amount-exceeded");
    expect((await withdraw(p, 20_000)).status).toBe(201);
    expect((await withdraw(p, 100)).body.type).toBe("/problems/withdrawal-daily-count-exceeded");
    await setRule("dailyCount", 3);
    await setRule("dailyAmountFen", 5_000_000);
  });

  it("50 concurrent requests on a balance that covers 10: exactly 10 succeed", async () => {
    const p = await seedPerson("p-race");
    await setRule("dailyCount", 100);
    await earn("p-race", 10 * 1_000);
    const results = await Promise.all(Array.from({ length: 50 }, () => withdraw(p, 1_000)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(10);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.type === "/problems/insufficient-balance")).toBe(true);
    expect(await availableFen("p-race")).toBe(0);
    expect(await env.DB.prepare("SELECT count FROM withdrawal_days WHERE member_id = 'p-race'").first("count")).toBe(10);
    await setRule("dailyCount", 3);
  });

  it("concurrent requests never pass the daily count limit", async () => {
    const p = await seedPerson("p-race-day");
    await earn("p-race-day", 1_000_000);
    const results = await Promise.all(Array.from({ length: 20 }, () => withdraw(p, 1_000)));
    expect(results.filter((r) => r.status === 201)).toHaveLength(3);
    expect(results.filter((r) => r.status === 409).every((r) => r.body.type === "/problems/withdrawal-daily-count-exceeded")).toBe(true);
    expect(await availableFen("p-race-day")).toBe(1_000_000 - 3 * 1_000);
  });

  it("an Idempotency-Key makes a retried request the same withdrawal", async () => {
    const p = await seedPerson("p-idem");
    await earn("p-idem", 5_000);
    const first = await withdraw(p, 1_000, { "idempotency-key": "k-1" });
    const again = await withdraw(p, 1_000, { "idempotency-key": "k-1" });
    expect(again.body.id).toBe(first.body.id);
    expect(await availableFen("p-idem")).toBe(4_000);
  });

  it("lists one's own withdrawals newest first, paginated, and shows the overview", async () => {
    const p = await seedPerson("p-list");
    const other = await seedPerson("p-other");
    await earn("p-list", 10_000);
    await earn("p-other", 10_000);
    const ids = [];
    for (const a of [100, 200, 300]) ids.push((await withdraw(p, a)).body.id);
    await withdraw(other, 100);
    const page1 = await api("/api/partner/withdrawals?limit=2", p);
    expect(page1.body.items.map((w: { id: string }) => w.id)).toEqual([ids[2], ids[1]]);
    const page2 = await api(`/api/partner/withdrawals?limit=2&cursor=${page1.body.nextCursor}`, p);
    expect(page2.body).toMatchObject({ items: [{ id: ids[0] }], nextCursor: null });
    expect((await api(`/api/partner/withdrawals/${ids[0]}`, other)).status).toBe(404);
    const o = await api("/api/partner/withdrawal-overview", p);
    expect(o.body).toMatchObject({ availableFen: 10_000 - 600, today: { count: 3, amountFen: 600 }, rules: { minimumFen: 100, feeBps: 100 }, realNameMasked: null });
  });
});
