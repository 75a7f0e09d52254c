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
 * BENCH_ROUTES var is "1" (never in wrangler.toml), and stay out of the OpenAPI document.
 * Each answers the D1 round trips and `meta.rows_read` it caused, counted at the binding.
 */
type Usage = { roundTrips: number; rowsRead: number; rowsWritten: number };
const RAW = Symbol("raw statement");

function countingD1(d1: D1Database, usage: Usage): D1Database {
  const record = (meta: D1Meta | undefined) => {
    usage.rowsRead += meta?.rows_read ?? 0;
    usage.rowsWritten += meta?.rows_written ?? 0;
  };
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === RAW) return target;
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args));
        if (prop === "all" || prop === "run") {
          return async () => {
            usage.roundTrips++;
            const res = await (target[prop] as () => Promise<D1Result>)();
            record(res.meta);
            return res;
          };
        }
        if (prop === "first" || prop === "raw") throw new Error("bench: count .all() or .run() only");
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          usage.roundTrips++;
          // Statements were wrapped by `prepare`; D1 needs its own objects, which the proxies forward to.
          const results = await target.batch(statements.map(unwrap));
          for (const r of results) record(r.meta);
          return results;
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

function unwrap(stmt: D1PreparedStatement): D1PreparedStatement {
  return (stmt as unknown as { [RAW]?: D1PreparedStatement })[RAW] ?? stmt;
}

const usage = (): Usage => ({ roundTrips: 0, rowsRead: 0, rowsWritten: 0 });
const BENCH_ACCOUNT = accountId("commission_available", "bench");

export const benchRoutes = new Hono<AppEnv>()
  .use("/bench/*", async (c, next) => {
    if ((c.env as Env & { BENCH_ROUTES?: string }).BENCH_ROUTES !== "1") throw ApiError.notFound();
    await next();
  })
  .get("/bench/trivial", (c) => c.json({ ok: true }))
  .get("/bench/select", async (c) => {
    const u = usage();
    const db = countingD1(c.env.DB, u);
    const res = await db.prepare("SELECT id, v FROM bench_kv WHERE id = ?").bind("k1").all();
    return c.json({ found: res.results.length, ...u });
  })
  .post("/bench/insert", async (c) => {
    const u = usage();
    const db = countingD1(c.env.DB, u);
    await db.prepare("INSERT INTO bench_kv (id, v) VALUES (?, 1)").bind(crypto.randomUUID()).run();
    return c.json(u);
  })
  .post("/bench/ledger/transfer", async (c) => {
    const u = usage();
    const db = countingD1(c.env.DB, u);
    const id = `bench:${crypto.randomUUID()}`;
    const result = await executeTransfers(db, [
      { id, debitAccountId: accountId("commission_expense"), creditAccountId: BENCH_ACCOUNT, amountFen: 1, code: "bench", reference: id },
    ]);
    return c.json({ ...result, ...u });
  })
  .get("/bench/ledger/balance", async (c) => {
    const u = usage();
    const db = countingD1(c.env.DB, u);
    const { balance } = await balanceWithMeta(db, BENCH_ACCOUNT);
    return c.json({ availableFen: balance.availableFen, ...u });
  })
  .get("/bench/ledger/history", async (c) => {
    const u = usage();
    const db = countingD1(c.env.DB, u);
    const page = await history(db, BENCH_ACCOUNT, { limit: 20 });
    return c.json({ items: page.items.length, ...u });
  })
  // Not loaded: run once to show what the daily full reconciliation costs on the seeded journal.
  .get("/bench/ledger/check", async (c) => {
    const u = usage();
    const db = countingD1(c.env.DB, u);
    const started = Date.now();
    const report = await checkLedger(db);
    return c.json({ ok: report.ok, ms: Date.now() - started, ...u });
  });
