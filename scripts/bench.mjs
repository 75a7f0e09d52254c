// npm run bench — serves the worker through Miniflare on a local port (scripts/local-worker.mjs) and loads it
// with autocannon, one route at a time: three baselines, the ledger and the member routes in the SAME run,
// so the ratios compare like with like on this machine at this moment. Not a test: it prints figures.
//   BENCH_SECONDS (default 5) per route and round, BENCH_ROUNDS (default 2), BENCH_CONNECTIONS (default 32), BENCH_JOURNAL (default 100000).
import autocannon from "autocannon";
import { startLocalWorker } from "./local-worker.mjs";
import { benchAuctions } from "./bench-auctions.mjs";

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

/** Member-facing product routes, called as a real member bound to a referrer. */
function memberRoutes(member, host) {
  const auth = { authorization: `Bearer ${member.token}`, "content-type": "application/json" };
  return [
    { name: "GET /api/me", method: "GET", path: "/api/me", headers: auth, baseline: "select (1 PK read)" },
    { name: "GET /api/me/invite", method: "GET", path: "/api/me/invite", headers: auth, baseline: "select (1 PK read)" },
    { name: "POST /api/me/referrer (unchanged)", method: "POST", path: "/api/me/referrer", headers: auth, body: JSON.stringify({ inviteCode: host.member.inviteCode }), baseline: "select (1 PK read)" },
    { name: "POST /api/auth/wechat (returning)", method: "POST", path: "/api/auth/wechat", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:bench-member" }), baseline: "insert (1 row)" },
    { name: "GET /api/courses", method: "GET", path: "/api/courses", baseline: "select (1 PK read)" },
    { name: "GET /api/rounds/:id", method: "GET", path: `/api/rounds/${BENCH_ROUND}`, headers: auth, baseline: "select (1 PK read)" },
    // One live subscription per member and round: after the first, each request runs the whole reservation batch and
    // is rolled back by the unique index (409) — the cost of a subscription without the WeChat prepay.
    {
      name: "POST /api/rounds/:id/subscriptions",
      method: "POST",
      path: `/api/rounds/${BENCH_ROUND}/subscriptions`,
      headers: auth,
      body: JSON.stringify({ shares: 1, disclosureVersion: 1 }),
      baseline: "insert (1 row)",
    },
  ];
}

const BENCH_ROUND = "bench-round";
/** Partner-center routes, called as the host (a promoter with a page of commission records). */
function partnerRoutes(host) {
  const auth = { authorization: `Bearer ${host.token}` };
  return [
    { name: "GET /api/partner/earnings", method: "GET", path: "/api/partner/earnings", headers: auth, baseline: "select (1 PK read)" },
    { name: "GET /api/partner/commissions (20)", method: "GET", path: "/api/partner/commissions", headers: auth, baseline: "select (1 PK read)" },
  ];
}

const d1Cost = (res) => ({
  roundTrips: Number(res.headers.get("x-d1-round-trips")),
  rowsRead: Number(res.headers.get("x-d1-rows-read")),
  rowsWritten: Number(res.headers.get("x-d1-rows-written")),
});

const started = Date.now();
// Access logs off (LOG_LEVEL=warn): one JSON line per request would be measured on every route alike.
const worker = await startLocalWorker({ bindings: { BENCH_ROUTES: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" } });
if (process.argv.includes("--auctions")) {
  try {
    await benchAuctions(worker, { seconds: SECONDS, connections: CONNECTIONS });
  } finally {
    await worker.dispose();
  }
  process.exit(0);
}
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

  // A catalog page's worth of published courses for GET /api/courses.
  await db
    .prepare(
      `INSERT OR IGNORE INTO courses (id, title, price_fen, status, sort_order, created_at, updated_at, published_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
       SELECT 'bench-course-' || i, 'Bench course ' || i, 9900, 'published', i, ?1, ?1, ?1 FROM n`,
    )
    .bind(now)
    .run();
  const login = async (openid, extra = {}) =>
    (await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}`, ...extra }) })).json();
  const host = await login("bench-host");
  const member = await login("bench-member", { inviteCode: host.member.inviteCode });
  // A round open to channel partners, and the bench member made one (tiers are read from D1 on each request).
  await db.batch([
    db.prepare("UPDATE members SET tier = 'channel_partner' WHERE openid = 'bench-member'"),
    db
      .prepare(
        `INSERT OR IGNORE INTO rounds (id, title, risk_disclosure, share_price_fen, total_shares, min_shares, max_shares, target_shares, eligible_tiers, opens_at, closes_at, state, created_at, updated_at)
         VALUES (?1, 'Bench round', 'risk', 100000, 1000000, 1, 10, 10, '["channel_partner"]', ?2, ?3, 'open', ?2, ?2)`,
      )
      .bind(BENCH_ROUND, now - 3_600_000, now + 86_400_000),
  ]);
  // The host is a promoter with 30 commissions on 30 paid orders of the member (a page and more).
  await db.batch([
    db.prepare("UPDATE members SET tier = 'promoter' WHERE openid = 'bench-host'"),
    db.prepare(
      `INSERT OR IGNORE INTO orders (id, kind, member_id, subject_id, description, amount_fen, status, expires_at, created_at, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
       SELECT 'bench-order-' || i, 'course', (SELECT id FROM members WHERE openid = 'bench-member'), 'bench-course-' || i, 'Bench course ' || i, 9900, 'paid', ?1, ?1 + i, ?1 FROM n`,
    ).bind(now),
    db.prepare(
      `INSERT OR IGNORE INTO commissions (id, order_id, earner_id, buyer_id, level, tier, rate_bps, base_fen, amount_fen, status, available_at, created_at, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 30)
       SELECT 'commission:bench-order-' || i || ':1', 'bench-order-' || i, (SELECT id FROM members WHERE openid = 'bench-host'),
         (SELECT id FROM members WHERE openid = 'bench-member'), 1, 'promoter', 1000, 9900, 990, 'frozen', ?1, ?1 + i, ?1 FROM n`,
    ).bind(now),
  ]);
  const productRoutes = [...memberRoutes(member, host), ...partnerRoutes(host)];

  // A partner with a large available balance and limits out of reach, so every request is a real withdrawal.
  await login("bench-partner");
  // The login answer is not used for the id: read it from D1 by openid.
  const partnerId = await db.prepare("SELECT id FROM members WHERE openid = 'bench-partner'").first("id");
  await db.batch([
    db.prepare("UPDATE members SET tier = 'channel_partner' WHERE id = ?").bind(partnerId),
    db.prepare("INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES (?1, 'commission_available', ?2, 1, ?3)").bind(`commission_available:${partnerId}`, partnerId, now),
    db.prepare("INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, code, reference, flags, created_at) VALUES ('bench-earnings', 'commission_expense', ?1, 1000000000000, 'bench_seed', 'bench-earnings', 0, ?2)")
      .bind(`commission_available:${partnerId}`, now),
    ...[["dailyCount", 100_000], ["dailyAmountFen", 1_000_000_000_000]].map(([k, v]) =>
      db.prepare("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)").bind(`payouts.${k}`, JSON.stringify(v), now)),
  ]);
  const partner = await login("bench-partner");
  productRoutes.push({
    name: "POST /api/partner/withdrawals", method: "POST", path: "/api/partner/withdrawals", baseline: "insert (1 row)",
    headers: { authorization: `Bearer ${partner.token}`, "content-type": "application/json" }, body: JSON.stringify({ amountFen: 100 }),
  });

  const measured = [...routes, ...productRoutes];

  // What one request of each route costs in D1, counted at the binding (X-D1-* headers, worker/bench/usage.ts).
  const usage = {};
  for (const r of measured) {
    const res = await worker.fetch(r.path, { method: r.method, headers: r.headers, body: r.body });
    if (!res.ok) throw new Error(`${r.path} answered ${res.status}: ${await res.text()}`);
    usage[r.name] = d1Cost(res);
    await res.arrayBuffer();
  }

  const rps = Object.fromEntries(measured.map((r) => [r.name, []]));
  for (let round = 1; round <= ROUNDS; round++) {
    for (const r of measured) {
      const load = { url: worker.url + r.path, method: r.method, headers: r.headers, body: r.body, connections: CONNECTIONS };
      if (round === 1) await autocannon({ ...load, duration: 1 }); // warm-up
      const out = await autocannon({ ...load, duration: SECONDS });
      rps[r.name].push(out.requests.average);
      const bad = out.non2xx + out.errors + out.timeouts;
      console.log(`round ${round}  ${r.name.padEnd(34)} ${out.requests.average.toFixed(0).padStart(6)} req/s  p50 ${out.latency.p50} ms  p99 ${out.latency.p99} ms${bad ? `  (${bad} failed)` : ""}`);
    }
  }
  const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const results = Object.fromEntries(measured.map((r) => [r.name, mean(rps[r.name])]));

  console.log(`\n${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per route, ${journal} transfers in the journal`);
  console.log(`${"route".padEnd(34)}  req/s   ratio to baseline            D1 round trips  rows read  rows written`);
  for (const r of measured) {
    const base = r.baseline ? results[r.baseline] : null;
    const ratio = base ? `${(results[r.name] / base).toFixed(2)} × ${r.baseline}` : "(baseline)";
    const u = usage[r.name];
    const cost = `${String(u.roundTrips).padStart(14)} ${String(u.rowsRead).padStart(10)} ${String(u.rowsWritten).padStart(12)}`;
    console.log(`${r.name.padEnd(34)} ${results[r.name].toFixed(0).padStart(6)}   ${ratio.padEnd(28)} ${cost}`);
  }
  const checkRes = await worker.fetch("/bench/ledger/check");
  const check = { ...(await checkRes.json()), ...d1Cost(checkRes) };
  console.log(`\nfull reconciliation (checkLedger): ok=${check.ok}, ${check.ms} ms, ${check.roundTrips} round trip, ${check.rowsRead} rows read`);
  await benchAuctions(worker, { seconds: SECONDS, connections: CONNECTIONS });
  const transferred = await db.prepare("SELECT COUNT(*) AS n FROM transfers WHERE code = 'bench'").first("n");
  console.log(`\n${transferred} ledger transfers executed during the run; whole bench took ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await worker.dispose();
}
