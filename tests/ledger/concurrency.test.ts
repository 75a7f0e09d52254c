import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountId } from "../../worker/ledger/accounts";
import { balance, executeTransfers, type TransferSpec } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";

const db = env.DB;

async function fund(member: string, amountFen: number) {
  await executeTransfers(db, [
    { id: `grant:${member}`, debitAccountId: accountId("commission_expense"), creditAccountId: accountId("commission_available", member), amountFen, code: "commission_grant", reference: `grant:${member}` },
  ]);
}

const outcome = (p: Promise<{ status: string }>) => p.then((r) => r.status, (e: { code?: string }) => e.code ?? String(e));
const tally = (xs: string[]) => xs.reduce<Record<string, number>>((acc, x) => ({ ...acc, [x]: (acc[x] ?? 0) + 1 }), {});

describe("concurrent operations", () => {
  it("lets exactly 10 of 50 simultaneous 10-fen withdrawals through a 100-fen balance", async () => {
    await fund("m_race", 100);
    const available = accountId("commission_available", "m_race");
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        outcome(executeTransfers(db, [{ id: `w:${i}`, debitAccountId: available, creditAccountId: accountId("payout_in_flight", "m_race"), amountFen: 10, code: "withdrawal", reference: `w:${i}`, pending: true }])),
      ),
    );
    expect(tally(results)).toEqual({ created: 10, "insufficient-funds": 40 });
    expect(await balance(db, available)).toMatchObject({ postedFen: 100, pendingDebitsFen: 100, availableFen: 0 });
    await expectLedgerInvariants(db);
  });

  it("posts a pending transfer once when 20 posts race", async () => {
    await fund("m_post_race", 500);
    const reserve: TransferSpec = { id: "payout:race", debitAccountId: accountId("commission_available", "m_post_race"), creditAccountId: accountId("payout_in_flight", "m_post_race"), amountFen: 500, code: "withdrawal", reference: "payout:race", pending: true };
    await executeTransfers(db, [reserve]);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        outcome(executeTransfers(db, [{ ...reserve, pending: undefined, id: `payout:race:post:${i}`, postPendingId: reserve.id }])),
      ),
    );
    expect(tally(results)).toEqual({ created: 1, "pending-transfer-already-posted": 19 });
    expect(await balance(db, accountId("payout_in_flight", "m_post_race"))).toMatchObject({ postedFen: 500, pendingCreditsFen: 0 });
    await expectLedgerInvariants(db);
  });

  it("records a transfer once when the same notification arrives 20 times at once", async () => {
    const sale: TransferSpec = { id: "order:o_dup:revenue", debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("revenue_course"), amountFen: 990, code: "course_sale", reference: "order:o_dup" };
    const results = await Promise.all(Array.from({ length: 20 }, () => outcome(executeTransfers(db, [sale]))));
    expect(tally(results)).toEqual({ created: 1, exists: 19 });
    expect(await db.prepare("SELECT COUNT(*) AS n FROM transfers WHERE reference = 'order:o_dup'").first("n")).toBe(1);
    await expectLedgerInvariants(db);
  });
});
