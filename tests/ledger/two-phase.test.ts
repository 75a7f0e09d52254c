import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountId } from "../../worker/ledger/accounts";
import { balance, executeTransfers, type TransferSpec } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";

const db = env.DB;

/** Gives member `m` 1,000 fen of available commission, then reserves `amountFen` of it for a withdrawal. */
async function withdrawalInFlight(m: string, amountFen: number, extra: Partial<TransferSpec> = {}) {
  await executeTransfers(db, [
    { id: `grant:${m}`, debitAccountId: accountId("commission_expense"), creditAccountId: accountId("commission_available", m), amountFen: 1000, code: "commission_grant", reference: `grant:${m}` },
  ]);
  const pending: TransferSpec = {
    id: `payout:${m}:reserve`,
    debitAccountId: accountId("commission_available", m),
    creditAccountId: accountId("payout_in_flight", m),
    amountFen,
    code: "withdrawal",
    reference: `payout:${m}`,
    pending: true,
    ...extra,
  };
  await executeTransfers(db, [pending]);
  const post = (amountFen: number, id = `payout:${m}:post`): TransferSpec => ({ ...pending, id, amountFen, pending: undefined, timeoutAt: undefined, postPendingId: pending.id });
  const voidIt = (id = `payout:${m}:void`): TransferSpec => ({ ...pending, id, pending: undefined, timeoutAt: undefined, voidPendingId: pending.id });
  return { pending, post, voidIt, available: accountId("commission_available", m), inFlight: accountId("payout_in_flight", m) };
}

async function codeOf(p: Promise<unknown>) {
  const e = await p.then(() => null, (err: { code?: string }) => err);
  return e?.code ?? "(succeeded)";
}

describe("two-phase transfers", () => {
  it("reserves a pending amount that counts against the balance", async () => {
    const w = await withdrawalInFlight("m_res", 800);
    expect(await balance(db, w.available)).toMatchObject({ postedFen: 1000, pendingDebitsFen: 800, availableFen: 200 });
    // 300 more would exceed what is left once the reservation counts.
    const spend = { id: "spend:m_res", debitAccountId: w.available, creditAccountId: accountId("fees"), amountFen: 300, code: "fee", reference: "x" };
    expect(await codeOf(executeTransfers(db, [spend]))).toBe("insufficient-funds");
    await expectLedgerInvariants(db);
  });

  it("posts the full amount", async () => {
    const w = await withdrawalInFlight("m_full", 800);
    await executeTransfers(db, [w.post(800)]);
    expect(await balance(db, w.available)).toMatchObject({ postedFen: 200, pendingDebitsFen: 0, availableFen: 200 });
    expect(await balance(db, w.inFlight)).toMatchObject({ postedFen: 800, pendingCreditsFen: 0 });
    await expectLedgerInvariants(db);
  });

  it("posts part of the amount and returns the rest", async () => {
    const w = await withdrawalInFlight("m_part", 800);
    await executeTransfers(db, [w.post(500)]);
    expect(await balance(db, w.available)).toMatchObject({ postedFen: 500, pendingDebitsFen: 0, availableFen: 500 });
    expect(await balance(db, w.inFlight)).toMatchObject({ postedFen: 500 });
    await expectLedgerInvariants(db);
  });

  it("voids and releases the reservation", async () => {
    const w = await withdrawalInFlight("m_void", 800);
    await executeTransfers(db, [w.voidIt()]);
    expect(await balance(db, w.available)).toMatchObject({ postedFen: 1000, pendingDebitsFen: 0, availableFen: 1000 });
    expect(await balance(db, w.inFlight)).toMatchObject({ postedFen: 0, pendingCreditsFen: 0 });
    await expectLedgerInvariants(db);
  });

  it("resolves a pending transfer exactly once, with a clear error the second time", async () => {
    const w = await withdrawalInFlight("m_once", 800);
    await executeTransfers(db, [w.post(800)]);
    expect(await codeOf(executeTransfers(db, [w.post(800, "payout:m_once:post-again")]))).toBe("pending-transfer-already-posted");
    expect(await codeOf(executeTransfers(db, [w.voidIt()]))).toBe("pending-transfer-already-posted");
    // Replaying the very same post is not a second post: it is the same transfer.
    expect(await executeTransfers(db, [w.post(800)])).toEqual({ status: "exists" });

    const v = await withdrawalInFlight("m_once_void", 300);
    await executeTransfers(db, [v.voidIt()]);
    expect(await codeOf(executeTransfers(db, [v.post(300)]))).toBe("pending-transfer-already-voided");
    await expectLedgerInvariants(db);
  });

  it("refuses a post larger than the reservation, on other accounts, or of an unknown transfer", async () => {
    const w = await withdrawalInFlight("m_bad", 800);
    expect(await codeOf(executeTransfers(db, [w.post(801)]))).toBe("post-exceeds-pending-amount");
    expect(await codeOf(executeTransfers(db, [{ ...w.post(100), creditAccountId: accountId("fees") }]))).toBe("pending-transfer-accounts-differ");
    expect(await codeOf(executeTransfers(db, [{ ...w.voidIt(), amountFen: 1 }]))).toBe("void-amount-differs");
    expect(await codeOf(executeTransfers(db, [{ ...w.post(100), postPendingId: "nope" }]))).toBe("pending-transfer-not-found");
    // The reservation is still open and whole.
    expect(await balance(db, w.available)).toMatchObject({ pendingDebitsFen: 800 });
    await expectLedgerInvariants(db);
  });

  it("cannot post once the timeout has passed, but can still void", async () => {
    const w = await withdrawalInFlight("m_late", 400, { timeoutAt: new Date(Date.now() - 1000) });
    expect(await codeOf(executeTransfers(db, [w.post(400)]))).toBe("pending-transfer-expired");
    await executeTransfers(db, [w.voidIt()]);
    expect(await balance(db, w.available)).toMatchObject({ availableFen: 1000 });
    await expectLedgerInvariants(db);
  });
});
