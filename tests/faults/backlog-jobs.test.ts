import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { settleLotDeposits } from "../../worker/auctions/jobs";
import { declareDividend, resumeDividends } from "../../worker/crowdfunding/dividends";
import { closeDueRounds } from "../../worker/crowdfunding/jobs";
import { createLogger } from "../../worker/http/log";
import { voidExpiredPendingTransfers } from "../../worker/ledger/jobs";
import { executeTransfers } from "../../worker/ledger/service";
import { api as lotApi, bid, createLot, endLot, memberWithToken } from "../auctions/support";
import { accountsOf, chain, settleAfter } from "../commissions/support";
import { adminToken, api, openRound, paySubscription, seedMembers, subscribe } from "../crowdfunding/support";
import { deliver, paidOrder, sandboxPay, seedCourse } from "../orders/support";
import { checkLedgerAfterEach } from "./support";

checkLedgerAfterEach();

const log = createLogger({ test: "backlogs" });
const count = async (sql: string, ...params: unknown[]) => (await env.DB.prepare(sql).bind(...params).first<{ n: number }>())!.n;

/** Runs a job until a run finds nothing, returning what each run did (at most `max` runs). */
async function runsOf(job: () => Promise<number>, max = 6): Promise<number[]> {
  const done: number[] = [];
  for (let i = 0; i < max; i++) {
    const n = await job();
    done.push(n);
    if (n === 0) break;
  }
  return done;
}

describe("bounded jobs finish a backlog of a few chunks over successive runs", () => {
  it("commission settlement: a chunk per run, each commission once", async () => {
    const [buyer] = await chain([["bk-buyer", "member"], ["bk-l1", "promoter"]]);
    for (let i = 0; i < 5; i++) {
      await seedCourse(`c-bk-${i}`, 1000);
      await paidOrder(buyer, `c-bk-${i}`);
    }
    expect(await runsOf(async () => (await settleAfter(8, { batchSize: 2, batches: 1 })).settled)).toEqual([2, 2, 1, 0]);
    expect(await accountsOf("bk-l1")).toMatchObject({ frozen: 0, available: 500 });
  });

  it("round closing and the refunds of failed rounds: a chunk of rounds and a chunk of refunds per run", async () => {
    const rounds: string[] = [];
    const members = await seedMembers("bk-sub", 3);
    for (let i = 0; i < 3; i++) {
      const id = await openRound({ targetShares: 50 }); // will miss its target
      await paySubscription((await subscribe(members[i], id, 1)).body.subscription.id);
      rounds.push(id);
    }
    const at = new Date(Date.now() + 2 * 86_400_000);
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await closeDueRounds(env, at, log, 2));
    expect(runs.map((r) => [r.closed, r.refundsStarted])).toEqual([[2, 2], [1, 1], [0, 0]]);
    expect(await count(`SELECT count(*) AS n FROM rounds WHERE state = 'failed' AND id IN (${rounds.map(() => "?").join(",")})`, ...rounds)).toBe(3);
    expect(await count("SELECT count(*) AS n FROM refunds r JOIN orders o ON o.id = r.order_id WHERE o.kind = 'share_subscription'")).toBe(3);
  });

  it("lot deposits: a chunk of releases and refunds per run", async () => {
    const lot = await createLot({ depositFen: 10_000 });
    const bidders = [];
    for (let i = 0; i < 5; i++) {
      const m = await memberWithToken();
      const order = await lotApi(`/api/lots/${lot.id}/deposit`, { method: "POST", token: m.token });
      expect((await deliver(await sandboxPay(order.body.order.id))).status).toBe(204);
      expect((await bid(lot.id, m.token, { amountFen: 50_000 + i * 10_000 })).status).toBe(200);
      bidders.push(m);
    }
    await endLot(lot.id);
    const runs = await runsOf(async () => {
      const r = await settleLotDeposits(env, new Date(), log, 2);
      expect(r.refunded).toBe(r.released);
      return r.released;
    });
    expect(runs).toEqual([2, 2, 0]); // four losers; the unpaid winner's deposit stays held
    expect(await count("SELECT count(*) AS n FROM lot_deposits WHERE lot_id = ? AND status = 'refunded'", lot.id)).toBe(4);
  });

  it("expired pending transfers: a chunk voided per run", async () => {
    const past = new Date(Date.now() - 60_000);
    await executeTransfers(env.DB, [{ id: "bk-fund", debitAccountId: "commission_expense", creditAccountId: "commission_available:bk-v", amountFen: 500, code: "test", reference: "bk" }]);
    for (let i = 0; i < 5; i++) {
      await executeTransfers(env.DB, [{ id: `bk-reserve-${i}`, debitAccountId: "commission_available:bk-v", creditAccountId: "payout_in_flight:bk-v", amountFen: 100, code: "test", reference: "bk", pending: true, timeoutAt: past }]);
    }
    expect(await runsOf(async () => (await voidExpiredPendingTransfers(env.DB, new Date(), log, 2)).voided)).toEqual([2, 2, 1, 0]);
    expect(await count("SELECT count(*) AS n FROM open_pending_transfers WHERE transfer_id LIKE 'bk-reserve-%'")).toBe(0);
  });

  it("interrupted dividend declarations: a chunk of declarations resumed per run, each holder paid once", async () => {
    await env.DB.batch([1, 2, 3].map((i) =>
      env.DB.prepare("INSERT INTO share_holdings (member_id, round_id, shares, acquired_at) VALUES (?, 'r-bk', 1, ?)").bind(`bk-h${i}`, Date.now())));
    await executeTransfers(env.DB, [{ id: "order:bk-div:revenue", debitAccountId: "wechat_clearing", creditAccountId: "revenue_course", amountFen: 900, code: "course_sale", reference: "order:bk-div" }]);
    expect((await api("/api/admin/dividend-pool/allocations", { token: await adminToken(), body: { amountFen: 900, reason: "分红" } })).status).toBe(201);
    const admin = { actorId: "adm-bk", actorKind: "admin" as const };
    for (const period of ["Q1", "Q2", "Q3"]) {
      expect((await declareDividend(env.DB, admin, { period, amountFen: 300, roundId: "r-bk" }, Date.now(), { maxChunks: 0 })).status).toBe("paying");
    }
    expect(await runsOf(() => resumeDividends(env.DB, Date.now(), 2))).toEqual([2, 1, 0]);
    expect(await count("SELECT count(*) AS n FROM transfers WHERE id LIKE 'dividend:div_%'")).toBe(9);
  });
});
