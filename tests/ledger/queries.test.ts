import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { accountId } from "../../worker/ledger/accounts";
import { balanceWithMeta } from "../../worker/ledger/queries";
import { balances, checkLedger, executeTransfers, history, type TransferSpec } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { call, mintMember } from "../support/api";

const db = env.DB;
const grant = (member: string, n: number, amountFen: number): TransferSpec => ({
  id: `grant:${member}:${n}`,
  debitAccountId: accountId("commission_expense"),
  creditAccountId: accountId("commission_available", member),
  amountFen,
  code: "commission_grant",
  reference: `order:${member}:${n}`,
});

const asAdmin = async () => ({ authorization: `Bearer ${(await mintMember({ id: "admin_q", roles: ["admin"] })).token}` });
const asMember = async () => ({ authorization: `Bearer ${(await mintMember({ id: "member_q", tier: "channel_partner" })).token}` });

describe("ledger queries", () => {
  it("reads a balance in one row whatever the history", async () => {
    for (let i = 0; i < 30; i++) await executeTransfers(db, [grant("m_rows", i, 10)]);
    const { balance, rowsRead } = await balanceWithMeta(db, accountId("commission_available", "m_rows"));
    expect(balance).toMatchObject({ postedFen: 300, availableFen: 300 });
    expect(rowsRead).toBe(1);
  });

  it("reads several balances in one query, one row per account", async () => {
    await executeTransfers(db, [grant("m_many", 0, 70)]);
    const ids = [accountId("commission_available", "m_many"), accountId("commission_frozen", "m_many")];
    const got = await balances(db, ids);
    expect([...got.values()].map((b) => [b.accountId, b.availableFen])).toEqual([
      [ids[0], 70],
      [ids[1], 0],
    ]);
  });

  it("reads an account never used as zero", async () => {
    const { balance } = await balanceWithMeta(db, accountId("commission_frozen", "m_nobody"));
    expect(balance).toMatchObject({ postedFen: 0, availableFen: 0, pendingDebitsFen: 0 });
  });

  it("pages an account's history newest first without gaps or repeats", async () => {
    const member = "m_hist";
    for (let i = 0; i < 7; i++) await executeTransfers(db, [grant(member, i, 100 + i)]);
    // A debit too, so both sides of the account appear in its history.
    await executeTransfers(db, [{ id: "fee:m_hist", debitAccountId: accountId("commission_available", member), creditAccountId: accountId("fees"), amountFen: 5, code: "fee", reference: "fee" }]);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await history(db, accountId("commission_available", member), { limit: 3, cursor });
      expect(page.items.length).toBeLessThanOrEqual(3);
      seen.push(...page.items.map((t) => t.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["fee:m_hist", ...[6, 5, 4, 3, 2, 1, 0].map((i) => `grant:${member}:${i}`)]);
  });

  it("finds an account that no longer matches its journal", async () => {
    await executeTransfers(db, [grant("m_tamper", 0, 100)]);
    expect((await checkLedger(db)).ok).toBe(true);
    // Someone edits a balance by hand, outside any transfer.
    const id = accountId("commission_available", "m_tamper");
    await db.prepare("UPDATE accounts SET credits_posted = credits_posted + 1 WHERE id = ?").bind(id).run();
    const report = await checkLedger(db);
    expect(report.ok).toBe(false);
    const failed = report.checks.filter((c) => !c.ok).map((c) => c.name);
    expect(failed).toEqual(expect.arrayContaining(["posted_debits_equal_credits", "accounts_equal_journal"]));
    expect(report.checks.find((c) => c.name === "accounts_equal_journal")?.detail).toContain(id);
    await db.prepare("UPDATE accounts SET credits_posted = credits_posted - 1 WHERE id = ?").bind(id).run();
    await expectLedgerInvariants(db);
  });

  it("shows admins the invariant report, and nobody else", async () => {
    await executeTransfers(db, [grant("m_admin", 0, 100)]);
    const url = "/api/admin/ledger/check";
    expect((await call(url)).status).toBe(401);
    expect((await call(url, { headers: await asMember() })).status).toBe(403);
    const res = await call(url, { headers: await asAdmin() });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { ok: boolean; checks: Array<{ name: string; ok: boolean }> };
    expect(body.ok).toBe(true);
    expect(body.checks.map((c) => c.name)).toContain("accounts_equal_journal");
  });

  it("lets admins read an account's balance and history", async () => {
    await executeTransfers(db, [grant("m_api", 0, 250)]);
    const headers = await asAdmin();
    const res = await call("/api/admin/ledger/accounts/commission_available:m_api", { headers });
    expect(await res.json()).toMatchObject({ postedFen: 250, availableFen: 250 });
    const page = await call("/api/admin/ledger/accounts/commission_available:m_api/transfers?limit=1", { headers });
    expect(await page.json()).toMatchObject({ items: [{ id: "grant:m_api:0", amountFen: 250, direction: "credit" }], nextCursor: null });
    const bad = await call("/api/admin/ledger/accounts/nope/transfers", { headers });
    expect(bad.status).toBe(422);
    const badCursor = await call("/api/admin/ledger/accounts/fees/transfers?cursor=zzz", { headers });
    expect(badCursor.status).toBe(400);
  });

  it("hides the benchmark routes unless BENCH_ROUTES is 1", async () => {
    const res = await call("/bench/ledger/transfer", { method: "POST" });
    expect(res.status).toBe(404);
    expect(await db.prepare("SELECT COUNT(*) AS n FROM transfers WHERE code = 'bench'").first("n")).toBe(0);
    expect((await call("/health")).status).toBe(200);
  });
});
