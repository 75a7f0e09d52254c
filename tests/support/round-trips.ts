import { env } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import worker from "../../worker/index";
import { countingD1, type Usage } from "../../worker/bench/usage";
import { testRequest, type CallOptions } from "./api";

/** One D1 round trip of a request: a batch or a lone statement, with the SQL it carried. */
export type RoundTrip = { kind: "batch" | "statement"; sql: string[] };

/**
 * Calls the worker as `call` does, with its D1 binding counted by the bench's own meter (`countingD1`, the one
 * behind the X-D1-* headers of `npm run bench`) and every round trip recorded with its SQL, so a test can say how
 * many round trips a route takes and which of them moves money.
 */
export async function metered(path: string, o: CallOptions = {}) {
  const trips: RoundTrip[] = [];
  const usage: Usage = { roundTrips: 0, rowsRead: 0, rowsWritten: 0 };
  const ctx = createExecutionContext();
  // countingD1 meters the D1 sessions (withSession) member routes run in, as it meters the binding.
  const db = countingD1(recording(env.DB, trips), usage);
  const res = await worker.fetch(testRequest(path, o) as Parameters<typeof worker.fetch>[0], { ...env, DB: db }, ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: text ? JSON.parse(text) : null,
    roundTrips: usage.roundTrips,
    trips,
    /** Round trips that write ledger transfers. */
    moneyTrips: trips.filter((t) => t.sql.some((sql) => /INSERT\s+INTO\s+transfers/i.test(sql))).length,
  };
}

const SQL = Symbol("sql");
const RAW = Symbol("raw");

function recording(d1: D1Database, trips: RoundTrip[]): D1Database {
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === SQL) return sql;
        if (prop === RAW) return target;
        if (prop === "bind") return (...args: unknown[]) => wrap(target.bind(...args), sql);
        if (prop === "all" || prop === "run" || prop === "first" || prop === "raw") {
          return (...args: unknown[]) => {
            trips.push({ kind: "statement", sql: [sql] });
            return (target[prop] as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        const value = Reflect.get(target, prop, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const field = (stmt: D1PreparedStatement, key: typeof SQL | typeof RAW) => (stmt as unknown as Record<symbol, unknown>)[key];
  return new Proxy(d1, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql), sql);
      if (prop === "withSession") return (constraint?: string) => recording(target.withSession(constraint) as unknown as D1Database, trips);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          trips.push({ kind: "batch", sql: statements.map((s) => String(field(s, SQL) ?? "")) });
          return target.batch(statements.map((s) => (field(s, RAW) as D1PreparedStatement | undefined) ?? s));
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}
