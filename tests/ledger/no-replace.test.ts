import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditStatement } from "../../worker/audit/log";
import { accountId } from "../../worker/ledger/accounts";
import { executeTransfers } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { sale } from "./support";

const db = env.DB;
const clearing = accountId("wechat_clearing");
const revenue = accountId("revenue_course");

const row = (sql: string, ...params: unknown[]) => db.prepare(sql).bind(...params).first<Record<string, unknown>>();

// A REPLACE deletes the row it conflicts with and inserts another, without firing the delete guards
// (SQLite fires DELETE triggers for REPLACE only with recursive_triggers on). So the database refuses any
// insert whose key is taken, under every conflict mode, on the append-only tables.
describe("append-only tables cannot be rewritten with INSERT OR REPLACE", () => {
  it("refuses to replace a journal row, by id or by seq", async () => {
    await executeTransfers(db, [sale("r-journal", 19_900)]);
    const before = await row("SELECT * FROM transfers WHERE id = 'order:r-journal:revenue'");
    const accounts = await db.prepare("SELECT * FROM accounts ORDER BY id").all();
    const replace = (columns: string, ...values: unknown[]) =>
      db
        .prepare(`INSERT OR REPLACE INTO transfers (${columns}, debit_account_id, credit_account_id, amount, code, reference, flags, created_at) VALUES (${values.map(() => "?").join(", ")}, ?, ?, 1, 'course_sale', 'forged', 0, 0)`)
        .bind(...values, clearing, revenue)
        .run();
    await expect(replace("id", "order:r-journal:revenue")).rejects.toThrow(/append_only/);
    await expect(replace("seq, id", before!.seq, "forged:seq")).rejects.toThrow(/append_only/);
    await expect(db.prepare("REPLACE INTO transfers SELECT * FROM transfers WHERE id = 'order:r-journal:revenue'").run()).rejects.toThrow(/append_only/);
    expect(await row("SELECT * FROM transfers WHERE id = 'order:r-journal:revenue'")).toEqual(before);
    expect((await db.prepare("SELECT * FROM accounts ORDER BY id").all()).results).toEqual(accounts.results);
    await expectLedgerInvariants(db);
  });

  it("refuses to replace an account's balances or identity, and keeps lazy creation working", async () => {
    await executeTransfers(db, [sale("r-account", 5_000)]);
    const before = await row("SELECT * FROM accounts WHERE id = ?", revenue);
    await expect(
      db.prepare("INSERT OR REPLACE INTO accounts (id, code, owner, flags, created_at, credits_posted) VALUES (?, 'revenue_course', NULL, 0, 0, 1)").bind(revenue).run(),
    ).rejects.toThrow(/ledger_accounts_are_never_replaced/);
    await expect(db.prepare("INSERT OR REPLACE INTO accounts (id, code, owner, flags, created_at) VALUES (?, 'other', NULL, 0, 0)").bind(revenue).run()).rejects.toThrow(
      /ledger_accounts_are_never_replaced/,
    );
    // The same account again (what the ledger's lazy INSERT OR IGNORE sends) changes nothing, even as a REPLACE.
    await db.prepare("INSERT OR REPLACE INTO accounts (id, code, owner, flags, created_at) VALUES (?, 'revenue_course', NULL, 0, 0)").bind(revenue).run();
    await db.prepare("INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES (?, 'revenue_course', NULL, 0, 0)").bind(revenue).run();
    expect(await row("SELECT * FROM accounts WHERE id = ?", revenue)).toEqual(before);
    await executeTransfers(db, [sale("r-account-2", 1_000)]);
    expect((await row("SELECT credits_posted FROM accounts WHERE id = ?", revenue))!.credits_posted).toBe((before!.credits_posted as number) + 1_000);
    await expectLedgerInvariants(db);
  });

  it("refuses to replace an audit row, by id or by rowid", async () => {
    await db.batch([auditStatement(db, { actorId: "adm_x", actorKind: "admin", action: "order.refund_requested", targetType: "order", targetId: "o-replace" })]);
    const before = await row("SELECT rowid, * FROM audit_log WHERE target_id = 'o-replace'");
    const replace = (columns: string, ...values: unknown[]) =>
      db
        .prepare(`INSERT OR REPLACE INTO audit_log (${columns}, actor_id, actor_kind, action, target_type, target_id, created_at) VALUES (${values.map(() => "?").join(", ")}, 'adm_x', 'admin', 'rewritten', 'order', 'o-replace', 0)`)
        .bind(...values)
        .run();
    await expect(replace("id", before!.id)).rejects.toThrow(/append-only/);
    await expect(replace("rowid, id", before!.rowid, "forged")).rejects.toThrow(/append-only/);
    expect(await row("SELECT rowid, * FROM audit_log WHERE target_id = 'o-replace'")).toEqual(before);
  });
});
