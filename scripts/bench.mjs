// npm run bench — serves the worker through Miniflare on a local port (scripts/local-worker.mjs) and loads it
// with autocannon, one route at a time, baselines and ledger routes in the SAME run, so the ratios compare
// like with like on this machine at this moment. Not a test: it prints figures.
//   BENCH_SECONDS (default 5) per route and round, BENCH_ROUNDS (default 2), BENCH_CONNECTIONS (default 32), BENCH_JOURNAL (default 100000).
import autocannon from "autocannon";
import { startLocalWorker } from "./local-worker.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// Routes run in turn ROUNDS times and are averaged, so a background load drifting during the run
// weighs on baselines and ledger routes alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const JOURNAL = Number(process.env.BENCH_JOURNAL ?? 100_000);

const routes = [
  { name: "trivial", method: "GET", path: "/bench/trivial" },
  { name: "select (1 PK read)", method: "GET", path: "/bench/select" },
  { name: "insert (1 row)", method: "POST", path: "/bench/insert" },
  { name: "ledger transfer", method: "POST", path: "/bench/ledger/transfer", baseline: "insert (1 row)" },
  { name: "ledger balance", method: "GET", path: "/bench/ledger/balance", baseline: "select (1 PK read)" },
  { name: "ledger history (20)", method: "GET", path: "/bench/ledger/history", baseline: "select (1 PK read)" },
];

const started = Date.now();
// Access logs off (LOG_LEVEL=warn): one JSON line per request would be measured on every route alike.
const worker = await startLocalWorker({ bindings: { BENCH_ROUTES: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" } });
try {
  const { db } = worker;
  await db.exec("CREATE TABLE IF NOT EXISTS bench_kv (id TEXT PRIMARY KEY, v INTEGER NOT NULL)");
  await db.prepare("INSERT OR IGNORE INTO bench_kv (id, v) VALUES ('k1', 1)").run();

  // A journal of JOURNAL transfers on the measured account, through the same triggers as real transfers.
  const seedStarted = Date.now();
  const now = Date.now();
  await db.batch([
    db.prepare("INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES ('commission_expense', 'commission_expense', NULL, 0, ?1), ('commission_available:bench', 'commission_available', 'bench', 1, ?1)").bind(now),
    db
      .prepare(
        `INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, code, reference, pending_id, flags, timeout_at, created_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         SELECT 'seed:' || i, 'commission_expense', 'commission_available:bench', 1, 'bench_seed', 'seed:' || i, NULL, 0, NULL, ?2 FROM n`,
      )
      .bind(JOURNAL, now),
  ]);
  const journal = await db.prepare("SELECT COUNT(*) AS n FROM transfers").first("n");
  console.log(`journal seeded: ${journal} transfers in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  // What one request of each route costs in D1, counted at the binding by the bench routes.
  const usage = {};
  for (const r of routes) {
    const res = await worker.fetch(r.path, { method: r.method });
    if (!res.ok) throw new Error(`${r.path} answered ${res.status}: ${await res.text()}`);
    usage[r.name] = await res.json();
  }

  const rps = Object.fromEntries(routes.map((r) => [r.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const r of routes) {
      if (round === 1) await autocannon({ url: worker.url + r.path, method: r.method, connections: CONNECTIONS, duration: 1 }); // warm-up
      const out = await autocannon({ url: worker.url + r.path, method: r.method, connections: CONNECTIONS, duration: SECONDS });
      rps[r.name].push(out.requests.average);
      const bad = out.non2xx + out.errors + out.timeouts;
      console.log(`round ${round}  ${r.name.padEnd(22)} ${out.requests.average.toFixed(0).padStart(6)} req/s  p50 ${out.latency.p50} ms  p99 ${out.latency.p99} ms${bad ? `  (${bad} failed)` : ""}`);
    }
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const results = Object.fromEntries(routes.map((r) => [r.name, mean(rps[r.name])]));

  console.log(`\n${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per route, ${journal} transfers in the journal`);
  console.log("route                  req/s   ratio to baseline            D1 round trips  rows read  rows written");
  for (const r of routes) {
    const base = r.baseline ? results[r.baseline] : null;
    const ratio = base ? `${(results[r.name] / base).toFixed(2)} × ${r.baseline}` : "(baseline)";
    const u = usage[r.name];
    const trips = u.roundTrips ?? 0;
    console.log(
      `${r.name.padEnd(22)} ${results[r.name].toFixed(0).padStart(6)}   ${ratio.padEnd(28)} ${String(trips).padStart(14)} ${String(u.rowsRead ?? 0).padStart(10)} ${String(u.rowsWritten ?? 0).padStart(12)}`,
    );
  }
  const check = await (await worker.fetch("/bench/ledger/check")).json();
  console.log(`\nfull reconciliation (checkLedger): ok=${check.ok}, ${check.ms} ms, ${check.roundTrips} round trip, ${check.rowsRead} rows read`);
  const transferred = await db.prepare("SELECT COUNT(*) AS n FROM transfers WHERE code = 'bench'").first("n");
  console.log(`\n${transferred} ledger transfers executed during the run; whole bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await worker.dispose();
}
