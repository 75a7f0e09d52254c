import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountId } from "../../worker/ledger/accounts";
import { balance, executeTransfers, explainTransferFailure, reversalOf, transferId, transferStatements, transfersByReference, type TransferSpec } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { sale } from "./support";

const db = env.DB;
const clearing = accountId("wechat_clearing");
const revenue = accountId("revenue_course");
const expense = accountId("commission_expense");

/** Credits a member's available commission (funded by the commission expense account). */
const grant = (member: string, ref: string, amountFen: number): TransferSpec => ({
  id: `grant:${ref}`,
  debitAccountId: expense,
  creditAccountId: accountId("commission_available", member),
  amountFen,
  code: "commission_grant",
  reference: ref,
});

async function problemOf(p: Promise<unknown>) {
  const error = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error, "the operation should have failed").not.toBeNull();
  return error as { status: number; code: string };
}

describe("transfers", () => {
  it("records a sale and moves both balances in one batch, creating accounts lazily", async () => {
    expect(await executeTransfers(db, [sale("t1", 9900)])).toEqual({ status: "created" });
    const rev = await balance(db, revenue);
    expect(rev).toMatchObject({ creditsPostedFen: 9900, postedFen: 9900, availableFen: 9900 });
    expect((await balance(db, clearing)).debitsPostedFen).toBeGreaterThanOrEqual(9900);
    await expectLedgerInvariants(db);
  });

  it("answers a replay with `exists` and changes nothing", async () => {
    await executeTransfers(db, [sale("t2", 500)]);
    const before = await balance(db, revenue);
    expect(await executeTransfers(db, [sale("t2", 500)])).toEqual({ status: "exists" });
    expect(await balance(db, revenue)).toEqual(before);
    await expectLedgerInvariants(db);
  });

  it("refuses the same transfer id with a different amount, naming the field", async () => {
    await executeTransfers(db, [sale("t3", 500)]);
    const err = await problemOf(executeTransfers(db, [sale("t3", 600)]));
    expect(err).toMatchObject({ status: 409, code: "exists_with_different_amount" });
    const other = await problemOf(executeTransfers(db, [{ ...sale("t3", 500), reference: "order:elsewhere" }]));
    expect(other.code).toBe("exists_with_different_reference");
    await expectLedgerInvariants(db);
  });

  it("never lets a flagged account go negative, and rolls the whole batch back", async () => {
    await executeTransfers(db, [grant("m_over", "g1", 100)]);
    const available = accountId("commission_available", "m_over");
    const payout = (id: string, amountFen: number): TransferSpec => ({
      id,
      debitAccountId: available,
      creditAccountId: accountId("payout_in_flight", "m_over"),
      amountFen,
      code: "withdrawal",
      reference: id,
    });
    // The first leg alone would fit; together they overdraw, so neither is written.
    const err = await problemOf(executeTransfers(db, [payout("w1", 60), payout("w2", 60)]));
    expect(err).toMatchObject({ status: 409, code: "insufficient-funds" });
    expect(await balance(db, available)).toMatchObject({ postedFen: 100, availableFen: 100 });
    const journal = await db.prepare("SELECT COUNT(*) AS n FROM transfers WHERE id IN ('w1', 'w2')").first<{ n: number }>();
    expect(journal?.n).toBe(0);
    await expectLedgerInvariants(db);
  });

  it("rolls back the caller's own statements with the transfers", async () => {
    await db.prepare("CREATE TABLE IF NOT EXISTS caller_rows (id TEXT PRIMARY KEY)").run();
    const err = await problemOf(
      executeTransfers(
        db,
        [{ ...grant("m_rb", "g-rb", 10), id: "rb", debitAccountId: accountId("commission_available", "m_rb"), creditAccountId: expense }],
        [db.prepare("INSERT INTO caller_rows (id) VALUES ('written-with-the-transfer')")],
      ),
    );
    expect(err.code).toBe("insufficient-funds");
    expect(await db.prepare("SELECT COUNT(*) AS n FROM caller_rows").first("n")).toBe(0);
  });

  it("lets a caller put the statements into its own batch", async () => {
    await db.prepare("CREATE TABLE IF NOT EXISTS caller_orders (id TEXT PRIMARY KEY, status TEXT)").run();
    await db.batch([db.prepare("INSERT INTO caller_orders VALUES ('o_own', 'paid')"), ...transferStatements(db, [sale("o_own", 1200)])]);
    expect(await db.prepare("SELECT amount FROM transfers WHERE id = 'order:o_own:revenue'").first("amount")).toBe(1200);
    await expectLedgerInvariants(db);
  });

  it("explains the failure of a caller's own batch: replay, guard, or the caller's own error", async () => {
    await db.prepare("CREATE TABLE IF NOT EXISTS caller_paid (id TEXT PRIMARY KEY)").run();
    const run = async (order: string, amountFen: number) => {
      const specs = [sale(order, amountFen)];
      try {
        await db.batch([...transferStatements(db, specs), db.prepare("INSERT INTO caller_paid (id) VALUES (?)").bind(order)]);
        return "created";
      } catch (error) {
        return (await explainTransferFailure(db, specs, error)).status;
      }
    };
    expect(await run("o_explain", 700)).toBe("created");
    expect(await run("o_explain", 700)).toBe("exists");
    expect((await problemOf(run("o_explain", 701))).code).toBe("exists_with_different_amount");
    // A new transfer whose batch fails on the caller's own row: the caller's error comes back untouched.
    await db.prepare("INSERT INTO caller_paid (id) VALUES ('o_taken')").run();
    await expect(run("o_taken", 100)).rejects.toThrow(/UNIQUE constraint failed: caller_paid/);
    await expectLedgerInvariants(db);
  });

  it("keeps the journal append-only and accounts undeletable", async () => {
    await executeTransfers(db, [sale("t-immutable", 100)]);
    await expect(db.prepare("UPDATE transfers SET amount = 1 WHERE id = 'order:t-immutable:revenue'").run()).rejects.toThrow(/append_only/);
    await expect(db.prepare("DELETE FROM transfers WHERE id = 'order:t-immutable:revenue'").run()).rejects.toThrow(/append_only/);
    await expect(db.prepare("DELETE FROM accounts WHERE id = ?").bind(revenue).run()).rejects.toThrow(/never_deleted/);
    await expect(db.prepare("UPDATE accounts SET flags = 0 WHERE id = ?").bind(revenue).run()).rejects.toThrow(/identity_is_fixed/);
  });

  it("rejects malformed specs before touching the database", () => {
    expect(() => transferStatements(db, [{ ...sale("bad", 1), amountFen: 1.5 }])).toThrow(/positive integer/);
    expect(() => transferStatements(db, [{ ...sale("bad", 1), amountFen: 0 }])).toThrow(/positive integer/);
    expect(() => transferStatements(db, [{ ...sale("bad", 1), creditAccountId: "nope" }])).toThrow(/Unknown ledger account/);
    expect(() => transferStatements(db, [sale("dup", 1), sale("dup", 1)])).toThrow(/twice/);
  });

  it("corrects a mistake with a reversing transfer, never by editing the journal", async () => {
    const original = sale("t-rev", 3000);
    await executeTransfers(db, [original]);
    const before = await balance(db, revenue);
    await executeTransfers(db, [reversalOf(original, { id: transferId("order:t-rev", "refund"), code: "course_refund", amountFen: 1000 })]);
    expect((await balance(db, revenue)).postedFen).toBe(before.postedFen - 1000);
    const moved = await transfersByReference(db, "order:t-rev");
    expect(moved.map((t) => [t.id, t.debitAccountId, t.amountFen])).toEqual([
      ["order:t-rev:revenue", clearing, 3000],
      ["order:t-rev:refund", revenue, 1000],
    ]);
    await expectLedgerInvariants(db);
  });
});
