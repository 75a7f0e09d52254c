import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/context";

/**
 * Under `npm run bench` (BENCH_ROUTES = "1") every request's D1 cost — round trips, `meta.rows_read`,
 * `meta.rows_written` — is counted at the binding and answered in X-D1-* headers, for product routes and
 * baselines alike. Elsewhere the middleware is one comparison and the binding is untouched.
 * A round trip is one call that reaches D1: a statement's run/all/first/raw, or one `batch` of any size.
 * `batches` counts the `batch` calls; `writes` the round trips carrying at least one INSERT/UPDATE/DELETE
 * (whether or not a guard let it change a row), and `writeBatches` those of them that were a batch: a money
 * operation in one atomic batch shows writes = writeBatches = 1.
 */
export type Usage = { roundTrips: number; rowsRead: number; rowsWritten: number; batches: number; writes: number; writeBatches: number };

/** An INSERT/UPDATE/DELETE/REPLACE, also behind a leading WITH. */
export function isWrite(sql: string): boolean {
  const s = sql.replace(/^(\s|--[^\n]*\n)+/, "");
  if (/^(insert|update|delete|replace)\b/i.test(s)) return true;
  return /^with\b/i.test(s) && /\b(insert\s+(or\s+\w+\s+)?into|update\s+\S+\s+set|delete\s+from)\b/i.test(s);
}

export const d1Usage = createMiddleware<AppEnv>(async (c, next) => {
  if ((c.env as Env & { BENCH_ROUTES?: string }).BENCH_ROUTES !== "1") return next();
  const usage: Usage = { roundTrips: 0, rowsRead: 0, rowsWritten: 0, batches: 0, writes: 0, writeBatches: 0 };
  // A per-request copy of the bindings: the shared env object is never changed.
  c.env = { ...c.env, DB: countingD1(c.env.DB, usage) };
  await next();
  c.header("X-D1-Round-Trips", String(usage.roundTrips));
  c.header("X-D1-Rows-Read", String(usage.rowsRead));
  c.header("X-D1-Rows-Written", String(usage.rowsWritten));
  c.header("X-D1-Batches", String(usage.batches));
  c.header("X-D1-Writes", String(usage.writes));
  c.header("X-D1-Write-Batches", String(usage.writeBatches));
});

const RAW = Symbol("raw statement");
const SQL = Symbol("statement text");

export function countingD1(d1: D1Database, usage: Usage): D1Database {
  const record = (meta: D1Meta | undefined) => {
    usage.rowsRead += meta?.rows_read ?? 0;
    usage.rowsWritten += meta?.rows_written ?? 0;
  };
  const run = async (stmt: D1PreparedStatement, sql: string, method: "all" | "run") => {
    usage.roundTrips++;
    if (isWrite(sql)) usage.writes++;
    const res = await stmt[method]();
    record(res.meta);
    return res;
  };
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === RAW) return target;
        if (prop === SQL) return sql;
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), sql);
        if (prop === "all" || prop === "run") return () => run(target, sql, prop);
        // first() and raw() report no meta, so they are answered from all(); raw() maps rows to arrays the
        // way drizzle itself maps batch results (column order of the row object).
        if (prop === "first") {
          return async (column?: string) => {
            const row = (await run(target, sql, "all")).results[0] as Record<string, unknown> | undefined;
            return row === undefined ? null : column ? (row[column] ?? null) : row;
          };
        }
        if (prop === "raw") {
          return async (options?: { columnNames?: boolean }) => {
            const rows = (await run(target, sql, "all")).results as Record<string, unknown>[];
            const values = rows.map((r) => Object.keys(r).map((k) => r[k]));
            return options?.columnNames ? [Object.keys(rows[0] ?? {}), ...values] : values;
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          usage.roundTrips++;
          usage.batches++;
          if (statements.some((s) => isWrite((s as unknown as { [SQL]?: string })[SQL] ?? ""))) {
            usage.writes++;
            usage.writeBatches++;
          }
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
