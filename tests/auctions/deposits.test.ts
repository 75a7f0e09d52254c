import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { depositPaidTransfers, forfeitUnpaidSales, releaseDeposits } from "../../worker/auctions/deposits";
import { executeTransfers } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { bid, createLot, endLot, memberWithToken } from "./support";

const DEPOSIT = 20_000;

/** A deposit paid and held for the lot, as the deposit order's fulfilment records it. */
async function payDeposit(lotId: string, memberId: string) {
  const orderId = `O-dep-${memberId}`;
  await executeTransfers(env.DB, depositPaidTransfers({ lotId, memberId, orderId, amountFen: DEPOSIT }), [
    env.DB.prepare("INSERT INTO lot_deposits (lot_id, member_id, order_id, amount_fen, hold_transfer_id, status, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'held', ?, ?)")
      .bind(lotId, memberId, orderId, DEPOSIT, `order:${orderId}:deposit-hold`, Date.now(), Date.now()),
  ]);
}

const account = (id: string) =>
  env.DB.prepare("SELECT debits_posted, credits_posted, debits_pending, credits_pending FROM accounts WHERE id = ?").bind(id).first<Record<string, number>>();
const depositStatus = async (lotId: string, memberId: string) =>
  (await env.DB.prepare("SELECT status FROM lot_deposits WHERE lot_id = ? AND member_id = ?").bind(lotId, memberId).first<{ status: string }>())?.status;

/** A lot with a deposit that `a` and `b` paid and bid on; `b` wins. */
async function wonLot() {
  const lot = await createLot({ depositFen: DEPOSIT });
  const [a, b] = [await memberWithToken(), await memberWithToken()];
  await payDeposit(lot.id, a.id);
  await payDeposit(lot.id, b.id);
  expect((await bid(lot.id, a.token, { amountFen: 50_000 })).status).toBe(200);
  expect((await bid(lot.id, b.token, { amountFen: 60_000 })).status).toBe(200);
  await endLot(lot.id);
  return { lot, a, b };
}

describe("auction deposits", () => {
  it("hold the paid deposit for the lot with a pending transfer that never times out", async () => {
    const lot = await createLot({ depositFen: DEPOSIT });
    const a = await memberWithToken();
    await payDeposit(lot.id, a.id);
    expect(await account(`deposit_held:${a.id}`)).toEqual({ debits_posted: 0, credits_posted: DEPOSIT, debits_pending: DEPOSIT, credits_pending: 0 });
    const hold = await env.DB.prepare("SELECT flags, timeout_at FROM transfers WHERE id = ?").bind(`order:O-dep-${a.id}:deposit-hold`).first();
    expect(hold).toEqual({ flags: 1, timeout_at: null });
    await expectLedgerInvariants(env.DB);
  });

  it("release the losers' holds when the lot ends, and the winner's once the winner has paid", async () => {
    const { lot, a, b } = await wonLot();
    expect((await releaseDeposits(env.DB)).map((d) => d.memberId)).toEqual([a.id]);
    expect(await depositStatus(lot.id, a.id)).toBe("released");
    expect(await depositStatus(lot.id, b.id)).toBe("held");
    expect(await account(`deposit_held:${a.id}`)).toMatchObject({ credits_posted: DEPOSIT, debits_pending: 0, debits_posted: 0 });
    expect(await releaseDeposits(env.DB)).toEqual([]);

    await env.DB.prepare("UPDATE lot_sales SET status = 'paid' WHERE lot_id = ?").bind(lot.id).run();
    expect((await releaseDeposits(env.DB)).map((d) => d.memberId)).toEqual([b.id]);
    expect(await account(`deposit_held:${b.id}`)).toMatchObject({ credits_posted: DEPOSIT, debits_pending: 0, debits_posted: 0 });
    await expectLedgerInvariants(env.DB);
  });

  it("forfeit an unpaid winner's deposit to revenue_auction at the deadline, once", async () => {
    const { lot, a, b } = await wonLot();
    const due = (await env.DB.prepare("SELECT payment_due_at FROM lot_sales WHERE lot_id = ?").bind(lot.id).first<{ payment_due_at: number }>())!.payment_due_at;
    expect(await forfeitUnpaidSales(env.DB, new Date(due - 1))).toEqual([]);
    const revenueBefore = (await account("revenue_auction"))!;
    const late = new Date(due + 1);
    const [first, second] = await Promise.all([forfeitUnpaidSales(env.DB, late), forfeitUnpaidSales(env.DB, late)]);
    expect([...first, ...second].filter((id) => id === lot.id)).toHaveLength(1);
    expect(await depositStatus(lot.id, b.id)).toBe("forfeited");
    expect((await env.DB.prepare("SELECT status FROM lot_sales WHERE lot_id = ?").bind(lot.id).first())?.status).toBe("unpaid");
    // Storage is shared by the file's tests: compare revenue_auction with what it held before.
    const revenueAfter = (await account("revenue_auction"))!;
    expect(revenueAfter.credits_posted - revenueBefore.credits_posted).toBe(DEPOSIT);
    expect(revenueBefore.credits_pending - revenueAfter.credits_pending).toBe(DEPOSIT);
    expect(await account(`deposit_held:${b.id}`)).toMatchObject({ credits_posted: DEPOSIT, debits_posted: DEPOSIT, debits_pending: 0 });
    // The loser is released; the forfeited winner is not released again.
    expect((await releaseDeposits(env.DB)).map((d) => d.memberId)).toContain(a.id);
    expect(await depositStatus(lot.id, b.id)).toBe("forfeited");
    await expectLedgerInvariants(env.DB);
  });

  it("never forfeit a winner who paid before the deadline job ran", async () => {
    const { lot, b } = await wonLot();
    await env.DB.prepare("UPDATE lot_sales SET status = 'paid' WHERE lot_id = ?").bind(lot.id).run();
    const before = (await account("revenue_auction"))!.credits_posted;
    expect(await forfeitUnpaidSales(env.DB, new Date(Date.now() + 400 * 3_600_000))).not.toContain(lot.id);
    expect(await depositStatus(lot.id, b.id)).toBe("held");
    expect((await account("revenue_auction"))!.credits_posted).toBe(before);
    await expectLedgerInvariants(env.DB);
  });
});
