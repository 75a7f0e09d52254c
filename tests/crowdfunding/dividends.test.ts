import { env } from "cloudflare:workers";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { declareDividend } from "../../worker/crowdfunding/dividends";
import { executeTransfers } from "../../worker/ledger/service";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { adminToken, api } from "./support";

const ADMIN = { actorId: "adm-test", actorKind: "admin" as const };
const balance = async (id: string) =>
  (await env.DB.prepare("SELECT credits_posted - debits_posted AS fen FROM accounts WHERE id = ?").bind(id).first<{ fen: number }>())?.fen ?? 0;

let sale = 0;
/** Recognised course revenue, as paid orders post it. */
async function earnRevenue(fen: number) {
  sale++;
  await executeTransfers(env.DB, [{ id: `order:div-${sale}:revenue`, debitAccountId: "wechat_clearing", creditAccountId: "revenue_course", amountFen: fen, code: "course_sale", reference: `order:div-${sale}` }]);
}

/** Holdings of a (closed) round written straight into the cap table. */
async function holdings(roundId: string, shares: number[]) {
  await env.DB.batch(
    shares.map((n, i) => env.DB.prepare("INSERT INTO share_holdings (member_id, round_id, shares, acquired_at) VALUES (?, ?, ?, ?)").bind(`${roundId}-h${String(i).padStart(3, "0")}`, roundId, n, Date.now())),
  );
}

const payable = (roundId: string) =>
  env.DB.prepare("SELECT id, credits_posted AS fen FROM accounts WHERE code = 'dividends_payable' AND owner LIKE ? ORDER BY id").bind(`${roundId}-%`).all<{ id: string; fen: number }>();

describe("the dividend pool", () => {
  it("takes profit only from recognised revenue it can cover, audited", async () => {
    const token = await adminToken();
    const allocate = (amountFen: number) => api("/api/admin/dividend-pool/allocations", { token, body: { amountFen, reason: "2026 年第四季度利润分配" } });
    const before = await balance("dividend_pool");
    const revenue = await balance("revenue_course");
    expect((await allocate(revenue + 1)).body).toMatchObject({ status: 409, type: "/problems/insufficient-revenue" });
    expect(await balance("dividend_pool")).toBe(before);
    await earnRevenue(50_000);
    expect((await allocate(30_000)).status).toBe(201);
    expect(await balance("dividend_pool")).toBe(before + 30_000);
    expect(await balance("revenue_course")).toBe(revenue + 20_000);
    const audit = await env.DB.prepare("SELECT count(*) AS n FROM audit_log WHERE action = 'dividend_pool.allocated'").first<{ n: number }>();
    expect(audit!.n).toBe(1);
    await expectLedgerInvariants(env.DB);
  });
});

describe("declaring a dividend", () => {
  it("splits the amount over shares by largest remainder and credits each holder's dividends payable", async () => {
    await holdings("rA", [3, 3, 3]);
    await earnRevenue(100);
    await api("/api/admin/dividend-pool/allocations", { token: await adminToken(), body: { amountFen: 100, reason: "分红" } });
    const res = await api("/api/admin/dividends", { token: await adminToken(), body: { period: "2026-Q4", amountFen: 100, roundId: "rA" } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "paid", holderCount: 3, totalShares: 9, amountFen: 100 });
    expect((await payable("rA")).results.map((r) => r.fen)).toEqual([34, 33, 33]);
    const transfers = await env.DB.prepare("SELECT id FROM transfers WHERE reference = ? ORDER BY id").bind(`dividend:${res.body.id}`).all<{ id: string }>();
    expect(transfers.results.map((t) => t.id)).toEqual(["rA-h000", "rA-h001", "rA-h002"].map((m) => `dividend:${res.body.id}:${m}`));
    await expectLedgerInvariants(env.DB);
  });

  it("refuses more than the pool holds beyond what earlier declarations still owe (409), writing nothing", async () => {
    await holdings("rB", [1]);
    const pool = await balance("dividend_pool");
    const res = await api("/api/admin/dividends", { token: await adminToken(), body: { period: "2026-Q4", amountFen: pool + 1, roundId: "rB" } });
    expect(res.body).toMatchObject({ status: 409, type: "/problems/insufficient-dividend-pool" });
    expect((await env.DB.prepare("SELECT count(*) AS n FROM dividend_declarations WHERE round_scope = 'rB'").first<{ n: number }>())!.n).toBe(0);
  });

  it("pays each holder once when the declaration is repeated, and refuses the same period with another amount", async () => {
    await holdings("rC", [5, 1, 2, 7]);
    await earnRevenue(1_000);
    await api("/api/admin/dividend-pool/allocations", { token: await adminToken(), body: { amountFen: 1_000, reason: "分红" } });
    const body = { period: "2026-11", amountFen: 1_000, roundId: "rC" };
    const [first, second] = await Promise.all([api("/api/admin/dividends", { token: await adminToken(), body }), api("/api/admin/dividends", { token: await adminToken(), body })]);
    expect(first.body.id).toBe(second.body.id);
    const third = await api("/api/admin/dividends", { token: await adminToken(), body });
    expect(third.body).toMatchObject({ id: first.body.id, status: "paid" });
    const paid = (await payable("rC")).results;
    expect(paid.map((p) => p.fen)).toEqual([333, 67, 133, 467]);
    expect(paid.reduce((a, p) => a + p.fen, 0)).toBe(1_000);
    expect((await api("/api/admin/dividends", { token: await adminToken(), body: { ...body, amountFen: 999 } })).body.type).toBe("/problems/dividend-already-declared");
    await expectLedgerInvariants(env.DB);
  });

  it("finishes an interrupted declaration without paying anyone twice (repeat, or the scheduled job)", async () => {
    await holdings("rD", [1, 2, 3, 4, 5, 6, 7]);
    await earnRevenue(2_800);
    await api("/api/admin/dividend-pool/allocations", { token: await adminToken(), body: { amountFen: 2_800, reason: "分红" } });
    const half = await declareDividend(env.DB, ADMIN, { period: "P1", amountFen: 2_800, roundId: "rD" }, Date.now(), { chunkSize: 2, maxChunks: 2 });
    expect(half.status).toBe("paying");
    expect((await payable("rD")).results).toHaveLength(4);
    const done = await api("/api/admin/dividends", { token: await adminToken(), body: { period: "P1", amountFen: 2_800, roundId: "rD" } });
    expect(done.body.status).toBe("paid");
    expect((await payable("rD")).results.map((p) => p.fen)).toEqual([100, 200, 300, 400, 500, 600, 700]);

    // The job resumes a declaration left half paid.
    await holdings("rE", [1, 1, 1]);
    await earnRevenue(3);
    await api("/api/admin/dividend-pool/allocations", { token: await adminToken(), body: { amountFen: 3, reason: "分红" } });
    await declareDividend(env.DB, ADMIN, { period: "P1", amountFen: 3, roundId: "rE" }, Date.now(), { chunkSize: 1, maxChunks: 1 });
    const { runScheduled } = await import("../../worker/scheduled");
    await runScheduled({ cron: "*/5 * * * *", scheduledTime: Date.now() }, env);
    expect((await payable("rE")).results.map((p) => p.fen)).toEqual([1, 1, 1]);
    await expectLedgerInvariants(env.DB);
  });

  it("always credits exactly the declared amount, in parts within one fen of each holder's pro-rata share (fast-check)", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 5_000_000 }), async (shares, amountFen) => {
        const round = `rP${++run}`;
        await holdings(round, shares);
        await earnRevenue(amountFen);
        await api("/api/admin/dividend-pool/allocations", { token: await adminToken(), body: { amountFen, reason: "分红" } });
        const res = await declareDividend(env.DB, ADMIN, { period: "P", amountFen, roundId: round }, Date.now(), { chunkSize: 7 });
        expect(res.status).toBe("paid");
        const lines = (await env.DB.prepare("SELECT member_id, shares, amount_fen FROM dividend_lines WHERE declaration_id = ? ORDER BY member_id").bind(res.id).all<{ shares: number; amount_fen: number }>()).results;
        const total = shares.reduce((a, s) => a + s, 0);
        expect(lines.reduce((a, l) => a + l.amount_fen, 0)).toBe(amountFen);
        for (const l of lines) expect(Math.abs(l.amount_fen - (amountFen * l.shares) / total)).toBeLessThan(1);
        const credited = (await payable(round)).results.reduce((a, p) => a + p.fen, 0);
        expect(credited).toBe(amountFen);
      }),
      { numRuns: 25 },
    );
    await expectLedgerInvariants(env.DB);
  }, 120_000);
});
