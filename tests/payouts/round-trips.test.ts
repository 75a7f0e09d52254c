import { describe, expect, it } from "vitest";
import { metered } from "../support/round-trips";
import { availableFen, checkLedgerAfterEach, earn, seedPerson } from "./support";

checkLedgerAfterEach();

describe("what a withdrawal request costs in D1", () => {
  it("reads the caller, the rules and the balances in one round trip and moves the money in exactly one batch", async () => {
    const token = await seedPerson("rt-payee");
    await earn("rt-payee", 10_000);
    const res = await metered("/api/partner/withdrawals", { token, json: { amountFen: 5_000 } });
    expect(res.status).toBe(201);
    expect(res.roundTrips).toBe(2);
    expect(res.trips.map((t) => t.kind)).toEqual(["batch", "batch"]);
    expect(res.moneyTrips).toBe(1);
    expect(res.trips[0].sql.some((sql) => /INSERT/i.test(sql))).toBe(false);
    expect(await availableFen("rt-payee")).toBe(5_000);
  });

  it("refuses a non-partner from its first read, and bad input from a non-partner is a 403 too", async () => {
    const token = await seedPerson("rt-member", { tier: "member" });
    const valid = await metered("/api/partner/withdrawals", { token, json: { amountFen: 5_000 } });
    expect([valid.status, valid.roundTrips, valid.moneyTrips]).toEqual([403, 1, 0]);
    const invalid = await metered("/api/partner/withdrawals", { token, json: { amountFen: "all" } });
    expect([invalid.status, invalid.moneyTrips]).toEqual([403, 0]);
  });
});
