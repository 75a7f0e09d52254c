import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../http/context";

/**
 * Under `npm run bench` (BENCH_ROUTES = "1") every request's D1 cost — round trips, `meta.rows_read`,
 * `meta.rows_written` — is counted at the binding and answered in X-D1-* headers, for product routes and
 * baselines alike. Elsewhere the middleware is one comparison and the binding is untouched.
 * A round trip is one call that reaches D1: a statement's run/all/first/raw, or one `batch` of any size.
 * `batches` counts the `batch` calls; `writes` the round trips carrying at least one INSERT/UPDATE/DELETE
 * (whether or not a guard let it change a row), `writeBatches` those of them that were one batch: a money
 * operation written in one atomic batch shows writes = writeBatches = 1.
 */
export type Usage = {
  roundTrips: number;
  rowsRead: number;
  rowsWritten: number;
  /** When given, every statement run is appended here with its parameters (tests run EXPLAIN QUERY PLAN on them). */
  statements?: StatementRun[];
  batches?: number;
  writes?: number;
  writeBatches?: number;
};

/** An INSERT/UPDATE/DELETE/REPLACE, also behind a leading WITH. */
export function isWrite(sql: string): boolean {
  const s = sql.replace(/^(\s|--[^\n]*\n)+/, "");
  if (/^(insert|update|delete|replace)\b/i.test(s)) return true;
  return /^with\b/i.test(s) && /\b(insert\s+(or\s+\w+\s+)?into|update\s+\S+\s+set|delete\s+from)\b/i.test(s);
}
export type StatementRun = { sql: string; params: unknown[] };

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
const SOURCE = Symbol("statement source");

export function countingD1(d1: D1Database, usage: Usage): D1Database {
  const record = (meta: D1Meta | undefined) => {
    usage.rowsRead += meta?.rows_read ?? 0;
    usage.rowsWritten += meta?.rows_written ?? 0;
  };
  const note = (source: StatementRun | undefined) => {
    if (usage.statements && source) usage.statements.push(source);
  };
  const run = async (stmt: D1PreparedStatement, method: "all" | "run", source: StatementRun) => {
    usage.roundTrips++;
    if (isWrite(source.sql)) usage.writes = (usage.writes ?? 0) + 1;
    note(source);
    const res = await stmt[method]();
    record(res.meta);
    return res;
  };
  const wrap = (stmt: D1PreparedStatement, source: StatementRun): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === RAW) return target;
        if (prop === SOURCE) return source;
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), { sql: source.sql, params: args });
        if (prop === "all" || prop === "run") return () => run(target, prop, source);
        // first() and raw() report no meta, so they are answered from all(); raw() maps rows to arrays the
        // way drizzle itself maps batch results (column order of the row object).
        if (prop === "first") {
          return async (column?: string) => {
            const row = (await run(target, "all", source)).results[0] as Record<string, unknown> | undefined;
            return row === undefined ? null : column ? (row[column] ?? null) : row;
          };
        }
        if (prop === "raw") {
          return async (options?: { columnNames?: boolean }) => {
            const rows = (await run(target, "all", source)).results as Record<string, unknown>[];
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
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), { sql, params: [] });
      // A D1 session (read replication) is metered like the binding it came from.
      if (prop === "withSession") return (constraint?: string) => countingD1(target.withSession(constraint) as unknown as D1Database, usage);
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          usage.roundTrips++;
          usage.batches = (usage.batches ?? 0) + 1;
          const sources = statements.map((s) => (s as unknown as { [SOURCE]?: StatementRun })[SOURCE]);
          if (sources.some((s) => s && isWrite(s.sql))) {
            usage.writes = (usage.writes ?? 0) + 1;
            usage.writeBatches = (usage.writeBatches ?? 0) + 1;
          }
          for (const s of statements) note((s as unknown as { [SOURCE]?: StatementRun })[SOURCE]);
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
