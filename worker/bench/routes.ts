import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { ApiError } from "../http/problem";
import { accountId } from "../ledger/accounts";
import { balanceWithMeta, history } from "../ledger/queries";
import { checkLedger } from "../ledger/reconcile";
import { executeTransfers } from "../ledger/service";

/**
 * Routes for `npm run bench` only: three baselines (a trivial response, one primary-key SELECT, one
 * INSERT) and the ledger operations measured against them in the same run. They exist only when the
 * BENCH_ROUTES var is "1" (never in wrangler.toml), and stay out of the OpenAPI document. What each
 * request costs in D1 is reported, for these and every product route alike, by `d1Usage` (./usage.ts).
 */
const BENCH_ACCOUNT = accountId("commission_available", "bench");

export const benchRoutes = new Hono<AppEnv>()
  .use("/bench/*", async (c, next) => {
    if ((c.env as Env & { BENCH_ROUTES?: string }).BENCH_ROUTES !== "1") throw ApiError.notFound();
    await next();
  })
  .get("/bench/trivial", (c) => c.json({ ok: true }))
  .get("/bench/select", async (c) => {
    const db = c.env.DB;
    const res = await db.prepare("SELECT id, v FROM bench_kv WHERE id = ?").bind("k1").all();
    return c.json({ found: res.results.length });
  })
  .post("/bench/insert", async (c) => {
    const db = c.env.DB;
    await db.prepare("INSERT INTO bench_kv (id, v) VALUES (?, 1)").bind(crypto.randomUUID()).run();
    return c.json({ ok: true });
  })
  .post("/bench/ledger/transfer", async (c) => {
    const db = c.env.DB;
    const id = `bench:${crypto.randomUUID()}`;
    const result = await executeTransfers(db, [
      { id, debitAccountId: accountId("commission_expense"), creditAccountId: BENCH_ACCOUNT, amountFen: 1, code: "bench", reference: id },
    ]);
    return c.json(result);
  })
  .get("/bench/ledger/balance", async (c) => {
    const db = c.env.DB;
    const { balance } = await balanceWithMeta(db, BENCH_ACCOUNT);
    return c.json({ availableFen: balance.availableFen });
  })
  .get("/bench/ledger/history", async (c) => {
    const db = c.env.DB;
    const page = await history(db, BENCH_ACCOUNT, { limit: 20 });
    return c.json({ items: page.items.length });
  })
  // Not loaded: run once to show what the daily full reconciliation costs on the seeded journal.
  .get("/bench/ledger/check", async (c) => {
    const db = c.env.DB;
    const started = Date.now();
    const report = await checkLedger(db);
    return c.json({ ok: report.ok, ms: Date.now() - started });
  });
