import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import worker from "../../worker/index";
import { accountId } from "../../worker/ledger/accounts";
import { balance, executeTransfers, type TransferSpec } from "../../worker/ledger/service";
import { runScheduled, type ScheduledJob } from "../../worker/scheduled";
import { expectLedgerInvariants } from "../support/ledger-invariants";

const db = env.DB;
const HOUR = 3_600_000;

async function tick(cron: string, at: Date) {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ cron, scheduledTime: at.getTime() }), env, ctx);
  await waitOnExecutionContext(ctx);
}

async function heldDeposit(member: string, timeoutAt: Date): Promise<TransferSpec> {
  await executeTransfers(db, [
    { id: `dep:${member}`, debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("deposit_held", member), amountFen: 2000, code: "auction_deposit", reference: `dep:${member}` },
  ]);
  const hold: TransferSpec = { id: `hold:${member}`, debitAccountId: accountId("deposit_held", member), creditAccountId: accountId("revenue_auction"), amountFen: 2000, code: "deposit_forfeit_hold", reference: `lot:1:${member}`, pending: true, timeoutAt };
  await executeTransfers(db, [hold]);
  return hold;
}

afterEach(() => vi.restoreAllMocks());

describe("scheduled ledger jobs", () => {
  it("voids a pending transfer once its timeout has passed, and only then", async () => {
    const now = new Date();
    const hold = await heldDeposit("m_timeout", new Date(now.getTime() + HOUR));
    const held = accountId("deposit_held", "m_timeout");
    await tick("*/5 * * * *", new Date(now.getTime() + HOUR - 1));
    expect(await balance(db, held)).toMatchObject({ pendingDebitsFen: 2000, availableFen: 0 });

    await tick("*/5 * * * *", new Date(now.getTime() + HOUR));
    expect(await balance(db, held)).toMatchObject({ pendingDebitsFen: 0, availableFen: 2000 });
    const voids = await db.prepare("SELECT id, flags FROM transfers WHERE pending_id = ?").bind(hold.id).all();
    expect(voids.results).toEqual([{ id: "hold:m_timeout:expired", flags: 4 }]);

    // A second run finds nothing left to void.
    await tick("*/5 * * * *", new Date(now.getTime() + 2 * HOUR));
    expect((await db.prepare("SELECT COUNT(*) AS n FROM transfers WHERE pending_id = ?").bind(hold.id).first("n"))).toBe(1);
    await expectLedgerInvariants(db);
  });

  it("leaves alone a pending transfer posted before its timeout", async () => {
    const now = new Date();
    const hold = await heldDeposit("m_posted", new Date(now.getTime() + HOUR));
    await executeTransfers(db, [{ ...hold, id: "hold:m_posted:post", pending: undefined, timeoutAt: undefined, postPendingId: hold.id }]);
    await tick("*/5 * * * *", new Date(now.getTime() + 2 * HOUR));
    expect(await balance(db, accountId("deposit_held", "m_posted"))).toMatchObject({ postedFen: 0, pendingDebitsFen: 0 });
    await expectLedgerInvariants(db);
  });

  it("runs the daily check and logs a discrepancy loudly", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    await tick("17 3 * * *", new Date());
    expect(errors.mock.calls.flat().join("\n")).not.toContain("LEDGER DISCREPANCY");

    await executeTransfers(db, [{ id: "order:o_daily:revenue", debitAccountId: accountId("wechat_clearing"), creditAccountId: accountId("revenue_course"), amountFen: 100, code: "course_sale", reference: "order:o_daily" }]);
    await db.prepare("UPDATE accounts SET debits_posted = debits_posted + 7 WHERE id = 'wechat_clearing'").run();
    await tick("17 3 * * *", new Date());
    expect(errors.mock.calls.flat().join("\n")).toContain("LEDGER DISCREPANCY");
    await db.prepare("UPDATE accounts SET debits_posted = debits_posted - 7 WHERE id = 'wechat_clearing'").run();
  });

  it("keeps running the other jobs when one fails", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const ran: string[] = [];
    const jobs: ScheduledJob[] = [
      { name: "broken", crons: ["*/5 * * * *"], run: async () => { throw new Error("boom"); } },
      { name: "fine", crons: ["*/5 * * * *"], run: async () => { ran.push("fine"); } },
      { name: "daily-only", crons: ["17 3 * * *"], run: async () => { ran.push("daily-only"); } },
    ];
    const result = await runScheduled({ cron: "*/5 * * * *", scheduledTime: Date.now() }, env, jobs);
    expect(result).toEqual([{ name: "broken", ok: false }, { name: "fine", ok: true }]);
    expect(ran).toEqual(["fine"]);
  });
});
