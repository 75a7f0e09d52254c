// npm run bench — serves the worker through Miniflare on a local port (scripts/local-worker.mjs) and loads it
// with autocannon, one route at a time: three baselines, the ledger and the product routes in the SAME run,
// so the ratios compare like with like on this machine at this moment. Not a test: it prints figures and goal
// checks (PASS/MISS) and never fails for a MISS. Method and figures: BENCHMARKS.md.
//
// Two runs, both printed: an empty database (migrations and the dev seed only), then the scale data
// (`npm run scale:seed`), each with the bench's own fixtures on top.
//   npm run bench                              both runs (the scaled one when package.json has scale:seed)
//   npm run bench -- --scaled <dir>            the scaled run on a state already filled there (BENCH_SCALED_DIR=<dir>)
//   npm run bench -- --only empty|scaled       one of the two
//   npm run bench -- --auctions                accepted bids/s only (scripts/bench-auctions.mjs)
// Knobs: BENCH_SECONDS (default 5) per route and round, BENCH_ROUNDS (default 2), BENCH_CONNECTIONS (default 32),
// BENCH_JOURNAL (default 100000 transfers on the measured ledger account), BENCH_SCALE (the generator's --scale;
// default 0.01 in quick mode, BENCH_SECONDS ≤ 1, else the generator's own default).
// Quick mode: BENCH_SECONDS=1 BENCH_ROUNDS=1 npm run bench
import { spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import autocannon from "autocannon";
import { seedStatements } from "../schema/seed.mjs";
import { benchAuctions, createLots, login } from "./bench-auctions.mjs";
import { localTestVars, startLocalWorker } from "./local-worker.mjs";
import { projectNode, root } from "./wrangler.mjs";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
// Routes run in turn ROUNDS times and are averaged, so a background load drifting during the run
// weighs on baselines and product routes alike.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const JOURNAL = Number(process.env.BENCH_JOURNAL ?? 100_000);
const SCALE = process.env.BENCH_SCALE ?? (SECONDS <= 1 ? "0.01" : undefined);
const QUICK = SECONDS <= 1 && ROUNDS <= 1;

const arg = (name) => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};

const SELECT = "select (1 PK read)";
const INSERT = "insert (1 row)";
const BENCH_ROUND = "bench-round";
const BENCH_COURSES = 200;
/** The money operations: each must write in exactly one D1 batch (docs/architecture.md §3). */
const MONEY = "money";

const d1Cost = (res) => ({
  roundTrips: Number(res.headers.get("x-d1-round-trips")),
  batches: Number(res.headers.get("x-d1-batches")),
  writes: Number(res.headers.get("x-d1-writes")),
  writeBatches: Number(res.headers.get("x-d1-write-batches")),
  rowsRead: Number(res.headers.get("x-d1-rows-read")),
  rowsWritten: Number(res.headers.get("x-d1-rows-written")),
});

const json = (token) => ({ ...(token ? { authorization: `Bearer ${token}` } : {}), "content-type": "application/json" });

// ── fixtures ────────────────────────────────────────────────────────────────────────────────────────────────

/** The dev seed (schema/seed.mjs), as `npm run seed` applies it. */
async function applyDevSeed(db) {
  await db.batch(seedStatements().map((s) => db.prepare(s)));
}

/**
 * The bench's own rows, the same on both databases: a journal on the measured ledger account, a catalog of
 * priced courses, a host (promoter) with a member bound to it and 30 commissions, a round, a partner who can
 * withdraw, buyers bound to the member (two levels of commission on every course order), and one hot lot.
 */
async function benchFixtures(worker) {
  const { db } = worker;
  const now = Date.now();
  await db.exec("CREATE TABLE IF NOT EXISTS bench_kv (id TEXT PRIMARY KEY, v INTEGER NOT NULL)");
  await db.prepare("INSERT OR IGNORE INTO bench_kv (id, v) VALUES ('k1', 1)").run();

  // A journal of JOURNAL transfers on the measured account, through the same triggers as real transfers.
  const seedStarted = Date.now();
  await db.batch([
    db.prepare("INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES ('commission_expense', 'commission_expense', NULL, 0, ?1), ('commission_available:bench', 'commission_available', 'bench', 1, ?1)").bind(now),
    db
      .prepare(
        `INSERT INTO transfers (id, debit_account_id, credit_account_id, amount, code, reference, pending_id, flags, timeout_at, created_at)
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
         SELECT 'bench-seed:' || i, 'commission_expense', 'commission_available:bench', 1, 'bench_seed', 'bench-seed:' || i, NULL, 0, NULL, ?2 FROM n`,
      )
      .bind(JOURNAL, now),
  ]);
  const journal = await db.prepare("SELECT COUNT(*) AS n FROM transfers").first("n");
  console.log(`journal seeded: ${journal} transfers in the ledger (${JOURNAL} on the bench account) in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

  // Priced published courses: a catalog page for GET /api/courses and fresh (buyer, course) pairs for orders.
  await db
    .prepare(
      `INSERT OR IGNORE INTO courses (id, title, price_fen, status, sort_order, created_at, updated_at, published_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
       SELECT 'bench-course-' || i, 'Bench course ' || i, 9900, 'published', 1000 + i, ?1, ?1, ?1 FROM n`,
    )
    .bind(now, BENCH_COURSES)
    .run();
  const signIn = (openid, extra) => login(worker, openid, extra).then((r) => r);
  const host = await signIn("bench-host");
  const member = await signIn("bench-member", { inviteCode: host.member.inviteCode });
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

  // A partner with a large available balance and limits out of reach, so every request is a real withdrawal.
  await signIn("bench-partner");
  const partnerId = await db.prepare("SELECT id FROM members WHERE openid = 'bench-partner'").first("id");
  await db.batch([
    db.prepare("UPDATE members SET tier = 'channel_partner' WHERE id = ?").bind(partnerId),
    db.prepare("INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES (?1, 'commission_available', ?2, 1, ?3)").bind(`commission_available:${partnerId}`, partnerId, now),
    db.prepare("INSERT OR IGNORE INTO transfers (id, debit_account_id, credit_account_id, amount, code, reference, flags, created_at) VALUES ('bench-earnings', 'commission_expense', ?1, 1000000000000, 'bench_seed', 'bench-earnings', 0, ?2)")
      .bind(`commission_available:${partnerId}`, now),
    ...[["dailyCount", 100_000], ["dailyAmountFen", 1_000_000_000_000]].map(([k, v]) =>
      db.prepare("INSERT OR REPLACE INTO settings (key, value, updated_at) VALUES (?, ?, ?)").bind(`payouts.${k}`, JSON.stringify(v), now)),
  ]);
  const partner = await signIn("bench-partner");

  // A lesson behind the paywall and the member entitled to its course (lesson media: the entitlement path).
  const lesson = await db
    .prepare("SELECT l.id, l.course_id FROM lessons l JOIN courses c ON c.id = l.course_id WHERE c.status = 'published' AND c.price_fen > 0 AND l.is_trial = 0 ORDER BY c.id, l.id LIMIT 1")
    .first();
  if (lesson) {
    await db.prepare("INSERT OR IGNORE INTO entitlements (member_id, course_id, source, order_id, granted_at, revoked_at) SELECT id, ?, 'admin', NULL, ?, NULL FROM members WHERE openid = 'bench-member'")
      .bind(lesson.course_id, now).run();
  }

  // Buyers bound to the member (a channel partner, itself bound to the host): every course order plans two
  // levels of commission. Enough (buyer, course) pairs for a fresh order on every request of the run.
  const expectedOrders = 500 * (ROUNDS * (SECONDS + 1) + 1);
  const buyers = [];
  for (let i = 0; i < Math.max(4, Math.ceil(expectedOrders / BENCH_COURSES)); i++) buyers.push(await signIn(`bench-buyer-${i}`, { inviteCode: member.member.inviteCode }));
  // The buyer of the payment notifications' template order, outside the pairs the new-order row places.
  const templateBuyer = await signIn("bench-template-buyer", { inviteCode: member.member.inviteCode });
  const subscribers = await subscriberPool(worker);

  // One hot lot and bidders (no deposit, a one-fen step: any higher amount is a valid bid).
  const adminOpenid = "bench-auction-admin";
  await signIn(adminOpenid);
  await db.prepare(`UPDATE members SET roles = '["admin"]' WHERE openid = ?`).bind(adminOpenid).run();
  const admin = await signIn(adminOpenid);
  const [lot] = await createLots(worker, admin.token, 1);
  const bidders = [];
  for (let i = 0; i < 10; i++) bidders.push(await signIn(`bench-bidder-${i}`));

  return { journal, host, member, partner, lesson, buyers, templateBuyer, subscribers, lot, bidders };
}

/** Members who may subscribe to the bench round at once: at most the legal 200 shareholders, less some slack. */
const SUBSCRIBERS = 190;

/**
 * Members for the subscription row, each with a token: every request of a run is one of them making their first
 * subscription to the bench round (a real reservation, not the replay a second request gets). The cap of 200
 * distinct shareholders (a CHECK in the database) bounds how many can hold a reservation at once, so the pool is
 * members who already hold (they add no shareholder; the scaled data's round-1 holders) and new channel partners
 * up to the room left under the cap; `releaseSubscriptions` frees the pool between runs.
 */
async function subscriberPool(worker) {
  const { db } = worker;
  const holding = (
    await db
      .prepare(
        `SELECT DISTINCT m.openid FROM share_holdings h JOIN members m ON m.id = h.member_id
         WHERE m.blocked_at IS NULL AND m.tier = 'channel_partner' AND NOT EXISTS (SELECT 1 FROM share_subscriptions s WHERE s.member_id = m.id AND s.round_id = ?1 AND s.status IN ('reserved', 'paid'))
         LIMIT ?2`,
      )
      .bind(BENCH_ROUND, SUBSCRIBERS)
      .all()
  ).results.map((r) => r.openid).filter((o) => /^[A-Za-z0-9_-]{1,64}$/.test(o));
  const counter = await db.prepare("SELECT holders, cap FROM shareholder_count WHERE id = 'all'").first();
  const room = Math.max(0, Math.min(SUBSCRIBERS - holding.length, (counter?.cap ?? 200) - (counter?.holders ?? 0) - 10));
  const fresh = Array.from({ length: room }, (_, i) => `bench-subscriber-${i}`);
  const pool = [];
  for (let i = 0; i < holding.length + fresh.length; i += 16) {
    pool.push(...(await Promise.all([...holding, ...fresh].slice(i, i + 16).map((openid) => login(worker, openid)))));
  }
  if (fresh.length > 0) {
    await db.prepare("UPDATE members SET tier = 'channel_partner' WHERE openid LIKE 'bench-subscriber-%'").run();
  }
  console.log(`subscription row: ${pool.length} subscribers (${holding.length} holding already, ${fresh.length} new channel partners)`);
  return pool.map((p) => ({ token: p.token, memberId: p.member.id }));
}

/**
 * Frees the pool for the next run, as the orders module's expiry would: the bench round's reservations expire,
 * their orders close, the round's reserved shares and the shareholder count follow.
 */
async function releaseSubscriptions(db) {
  const now = Date.now();
  await db.batch([
    db.prepare(
      `UPDATE orders SET status = 'closed', fulfilment_id = 'close:bench-' || id, closed_at = ?2, updated_at = ?2
       WHERE status = 'pending' AND id IN (SELECT order_id FROM share_subscriptions WHERE round_id = ?1 AND status = 'reserved')`,
    ).bind(BENCH_ROUND, now),
    db.prepare("UPDATE share_subscriptions SET status = 'expired', updated_at = ?2 WHERE round_id = ?1 AND status = 'reserved'").bind(BENCH_ROUND, now),
    db.prepare(
      "UPDATE rounds SET reserved_shares = (SELECT coalesce(sum(shares), 0) FROM share_subscriptions WHERE round_id = ?1 AND status = 'reserved'), updated_at = ?2 WHERE id = ?1",
    ).bind(BENCH_ROUND, now),
    db.prepare(
      `UPDATE shareholder_count SET holders = (SELECT count(*) FROM (SELECT member_id FROM share_subscriptions WHERE status IN ('reserved', 'paid')
         UNION SELECT member_id FROM share_holdings)) WHERE id = 'all'`,
    ),
  ]);
}

/**
 * On the scale data, the partner routes are measured as the member with the longest history — the generator's
 * `memberId` fact, else the member with the most commission records — so "rows read bounded by the page" is
 * checked where it matters.
 */
async function heaviestPartner(worker, memberId) {
  const { db } = worker;
  const row = memberId
    ? await db.prepare("SELECT ?1 AS id, (SELECT COUNT(*) FROM commissions WHERE earner_id = ?1) AS n").bind(memberId).first()
    : await db.prepare("SELECT earner_id AS id, COUNT(*) AS n FROM commissions GROUP BY earner_id ORDER BY n DESC LIMIT 1").first();
  if (!row) return null;
  const m = await db.prepare("SELECT openid, tier FROM members WHERE id = ?").bind(row.id).first();
  if (!m || !/^[A-Za-z0-9_-]{1,64}$/.test(m.openid)) return null;
  if (m.tier === "member") await db.prepare("UPDATE members SET tier = 'promoter' WHERE id = ?").bind(row.id).run();
  const team = await db.prepare("SELECT COUNT(*) AS n FROM members WHERE referrer_id = ?").bind(row.id).first("n");
  const who = await login(worker, m.openid);
  console.log(`partner routes as the heaviest earner: ${row.n} commission records, ${team} level-1 members`);
  return who;
}

// ── the payment notification ───────────────────────────────────────────────────────────────────────────────

/**
 * Real WeChat Pay v3 notifications for fresh pending orders: `count` copies of a template order placed through
 * POST /api/orders (same buyer, course, amount and commission plan; each its own id), each notification built
 * by the WeChat sandbox (`POST /sandbox/notifications`: the resource AES-256-GCM encrypted with the APIv3 key,
 * the envelope RSA-signed with the sandbox's platform key — the code that signs the sandbox's own payments).
 * Built just before they are posted: the worker refuses a Wechatpay-Timestamp older than 5 minutes.
 */
async function notificationMaker(worker, template) {
  const { db } = worker;
  const sandbox = await worker.mf.getWorker("wechat-sandbox");
  const columns = (await db.prepare("PRAGMA table_info(orders)").all()).results.map((c) => c.name);
  const copied = columns.map((c) => (c === "id" ? "?1 || n.i" : c === "open_key" ? "NULL" : c === "status" ? "'pending'" : c === "expires_at" ? "?3" : `o.${c}`));
  const openid = await db.prepare("SELECT openid FROM members WHERE id = ?").bind(template.member_id).first("openid");
  let batch = 0;
  return async function make(count) {
    const prefix = `bp${process.pid % 1000}x${++batch}x`;
    await db
      .prepare(
        `INSERT INTO orders (${columns.join(", ")})
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
         SELECT ${copied.join(", ")} FROM orders o, n WHERE o.id = ?4`,
      )
      .bind(prefix, count, Date.now() + 3_600_000, template.id)
      .run();
    const out = [];
    for (let from = 1; from <= count; from += 16) {
      const chunk = [];
      for (let i = from; i < from + 16 && i <= count; i++) {
        const id = `${prefix}${i}`;
        const resource = {
          appid: localTestVars.WECHAT_APPID, mchid: localTestVars.WECHATPAY_MCHID, out_trade_no: id, transaction_id: `4200${prefix.replace(/\D/g, "")}${String(i).padStart(8, "0")}`,
          trade_type: "JSAPI", trade_state: "SUCCESS", trade_state_desc: "支付成功", bank_type: "OTHERS", attach: "", success_time: new Date().toISOString(),
          payer: { openid }, amount: { total: template.amount_fen, payer_total: template.amount_fen, currency: "CNY", payer_currency: "CNY" },
        };
        chunk.push(
          sandbox
            .fetch("http://sandbox/sandbox/notifications", { method: "POST", headers: json(), body: JSON.stringify({ notify_url: `${worker.url}/api/pay/notify`, resource, deliver: false }) })
            .then((r) => r.json()),
        );
      }
      for (const n of await Promise.all(chunk)) out.push({ path: "/api/pay/notify", headers: n.headers, body: n.body });
    }
    return { prefix, requests: out };
  };
}

// ── routes ─────────────────────────────────────────────────────────────────────────────────────────────────

/**
 * Every measured route. kind: "baseline", "read" (goal ≥ 0.8 × select), "write", or MONEY (one batch); a route
 * with `next` builds each request (fresh orders, rising bids); one with `prepare` has its requests built before
 * each timed run and is run for exactly that many requests.
 */
function measuredRoutes(f, heavy, makeNotifications, makeSubscriptions) {
  const m = json(f.member.token);
  const partnerSide = heavy ?? f.host;
  const p = { authorization: `Bearer ${partnerSide.token}` };
  let order = 0;
  const pairs = f.buyers.flatMap((b) => Array.from({ length: BENCH_COURSES }, (_, i) => ({ token: b.token, courseId: `bench-course-${i + 1}` })));
  let bid = 0;
  const routes = [
    { name: "trivial", kind: "baseline", method: "GET", path: "/bench/trivial" },
    { name: SELECT, kind: "baseline", method: "GET", path: "/bench/select" },
    { name: INSERT, kind: "baseline", method: "POST", path: "/bench/insert" },
    { name: "ledger transfer", kind: MONEY, method: "POST", path: "/bench/ledger/transfer" },
    { name: "ledger balance", kind: "read", method: "GET", path: "/bench/ledger/balance" },
    { name: "ledger history (20)", kind: "read", method: "GET", path: "/bench/ledger/history" },
    { name: "GET /api/me", kind: "read", method: "GET", path: "/api/me", headers: m },
    { name: "GET /api/me/invite", kind: "read", method: "GET", path: "/api/me/invite", headers: m },
    { name: "POST /api/me/referrer (unchanged)", kind: "write", baseline: SELECT, method: "POST", path: "/api/me/referrer", headers: m, body: JSON.stringify({ inviteCode: f.host.member.inviteCode }) },
    { name: "POST /api/auth/wechat (returning)", kind: "write", method: "POST", path: "/api/auth/wechat", headers: json(), body: JSON.stringify({ code: "sandbox:bench-member" }) },
    { name: "GET /api/courses", kind: "read", method: "GET", path: "/api/courses" },
    { name: "GET /api/courses/:id (member)", kind: "read", method: "GET", path: `/api/courses/${f.lesson?.course_id ?? "bench-course-1"}`, headers: m },
    ...(f.lesson ? [{ name: "GET /api/lessons/:id/media", kind: "read", method: "GET", path: `/api/lessons/${f.lesson.id}/media`, headers: m }] : []),
    {
      // A fresh order each request (a new buyer-course pair), with its prepay call to the WeChat sandbox.
      name: "POST /api/orders (new order)", kind: "write", method: "POST",
      next: () => {
        const pair = pairs[order++ % pairs.length];
        return { path: "/api/orders", headers: json(pair.token), body: JSON.stringify({ courseId: pair.courseId }) };
      },
      note: () => (order > pairs.length ? `${order - pairs.length} of ${order} requests reopened an order` : ""),
    },
    { name: "POST /api/pay/notify (fulfil + commissions)", kind: MONEY, method: "POST", prepare: makeNotifications, goal: { baseline: INSERT, ratio: 0.5 } },
    { name: "GET /api/rounds/:id", kind: "read", method: "GET", path: `/api/rounds/${BENCH_ROUND}`, headers: m },
    {
      // Each request a member's first subscription to the round (a reservation and its order, then the prepay):
      // a run is one request per member of the pool, freed before the next run (subscriberPool).
      name: "POST /api/rounds/:id/subscriptions", kind: MONEY, method: "POST", prepare: makeSubscriptions,
      note: () => `subscription runs are at most ${f.subscribers.length} requests each (one per subscriber, under the 200-shareholder cap)`,
    },
    { name: "GET /api/partner/earnings", kind: "read", method: "GET", path: "/api/partner/earnings", headers: p },
    { name: "GET /api/partner/commissions (20)", kind: "read", method: "GET", path: "/api/partner/commissions", headers: p },
    { name: "GET /api/partner/team", kind: "read", method: "GET", path: "/api/partner/team?level=1", headers: p },
    { name: "POST /api/partner/withdrawals", kind: MONEY, method: "POST", path: "/api/partner/withdrawals", headers: json(f.partner.token), body: JSON.stringify({ amountFen: 100 }) },
    {
      // Rising amounts on one hot lot from 10 bidders; a bid overtaken in flight is a 409, judged all the same.
      name: "POST /api/lots/:id/bids (one lot)", kind: "write", method: "POST",
      next: () => {
        const n = bid++;
        return { path: `/api/lots/${f.lot}/bids`, headers: json(f.bidders[n % f.bidders.length].token), body: JSON.stringify({ amountFen: 1_000 + n * 10 }) };
      },
      okStatus: [409],
    },
  ];
  for (const r of routes) {
    if (r.kind === "read") r.goal = { baseline: SELECT, ratio: 0.8 };
    r.baseline ??= r.goal?.baseline ?? (r.kind === "read" ? SELECT : r.kind === "baseline" ? null : INSERT);
  }
  // BENCH_MATCH=<regex>: only the routes whose name matches (and the baselines).
  const match = process.env.BENCH_MATCH ? new RegExp(process.env.BENCH_MATCH, "i") : null;
  return match ? routes.filter((r) => r.kind === "baseline" || match.test(r.name)) : routes;
}

// ── measuring ──────────────────────────────────────────────────────────────────────────────────────────────

/** One autocannon run of a route; `requests` when prepared (run to the last of them), else `seconds` long. */
async function load(worker, r, { seconds, requests }) {
  const base = { url: worker.url, connections: CONNECTIONS };
  let opts;
  if (requests) {
    let i = 0;
    opts = { ...base, amount: requests.length, requests: [{ method: "POST", setupRequest: (req) => ({ ...req, ...requests[i++ % requests.length] }) }] };
  } else if (r.next) {
    opts = { ...base, duration: seconds, requests: [{ method: r.method, setupRequest: (req) => ({ ...req, ...r.next() }) }] };
  } else {
    opts = { ...base, url: worker.url + r.path, method: r.method, headers: r.headers, body: r.body, duration: seconds };
  }
  const out = await autocannon(opts);
  // Requests answered over the time they took (a prepared run ends when its requests are done; the per-second
  // samples of a 1 s run can be empty).
  const rps = out.requests.total / Math.max(out.duration, 0.001);
  const expected = (r.okStatus ?? []).reduce((s, code) => s + (out.statusCodeStats?.[code]?.count ?? 0), 0);
  return { rps, out, bad: out.non2xx - expected + out.errors + out.timeouts };
}

async function probe(worker, r) {
  const req = r.prepare ? (await r.prepare(1)).requests[0] : r.next ? { method: r.method, ...r.next() } : r;
  const res = await worker.fetch(req.path, { method: r.method, headers: req.headers, body: req.body });
  if (!res.ok && !(r.okStatus ?? []).includes(res.status)) throw new Error(`${r.name} answered ${res.status}: ${await res.text()}`);
  await res.arrayBuffer();
  return d1Cost(res);
}

async function benchRun(label, { persistTo, facts: generated } = {}) {
  console.log(`\n════ ${label} ════`);
  const started = Date.now();
  // Access logs off (LOG_LEVEL=warn): one JSON line per request would be measured on every route alike.
  const worker = await startLocalWorker({ persistTo, bindings: { BENCH_ROUTES: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" } });
  try {
    const { db } = worker;
    if (!persistTo) await applyDevSeed(db);
    const facts = {
      members: await db.prepare("SELECT COUNT(*) AS n FROM members").first("n"),
      orders: await db.prepare("SELECT COUNT(*) AS n FROM orders").first("n"),
      commissions: await db.prepare("SELECT COUNT(*) AS n FROM commissions").first("n"),
      transfers: await db.prepare("SELECT COUNT(*) AS n FROM transfers").first("n"),
    };
    console.log(`database before the bench's fixtures: ${Object.entries(facts).map(([k, v]) => `${v} ${k}`).join(", ")}`);
    const f = await benchFixtures(worker);
    const heavy = persistTo ? await heaviestPartner(worker, generated?.memberId) : null;

    // The template order for notifications: placed by a buyer through the real route, so its commission plan is real.
    const placed = await worker.fetch("/api/orders", { method: "POST", headers: json(f.templateBuyer.token), body: JSON.stringify({ courseId: `bench-course-${BENCH_COURSES}` }) });
    if (placed.status !== 200 && placed.status !== 201) throw new Error(`template order: ${placed.status} ${await placed.text()}`);
    const template = await db.prepare("SELECT * FROM orders WHERE id = ?").bind((await placed.json()).order.id).first();
    const makeNotifications = await notificationMaker(worker, template);
    const paidPrefixes = [];
    const makeSubscriptions = async (n) => {
      await releaseSubscriptions(db);
      const body = JSON.stringify({ shares: 1, disclosureVersion: 1 });
      return { requests: f.subscribers.slice(0, n).map((p) => ({ path: `/api/rounds/${BENCH_ROUND}/subscriptions`, headers: json(p.token), body })) };
    };
    const routes = measuredRoutes(f, heavy, async (n) => {
      const made = await makeNotifications(n);
      paidPrefixes.push(made.prefix);
      return made;
    }, makeSubscriptions);

    // What one request of each route costs in D1, counted at the binding (X-D1-* headers, worker/bench/usage.ts).
    const usage = {};
    for (const r of routes) usage[r.name] = await probe(worker, r);

    const rps = Object.fromEntries(routes.map((r) => [r.name, []]));
    for (let round = 1; round <= ROUNDS; round++) {
      for (const r of routes) {
        // Prepared routes: as many requests as the INSERT baseline would answer in the time, times 0.6 (about the goal).
        const insertNow = rps[INSERT][round - 1] ?? 300;
        if (round === 1) await load(worker, r, { seconds: 1, requests: r.prepare ? (await r.prepare(Math.max(50, Math.round(insertNow * 0.5)))).requests : undefined }); // warm-up
        const requests = r.prepare ? (await r.prepare(Math.max(100, Math.round(insertNow * SECONDS * 0.6)))).requests : undefined;
        const { rps: value, out, bad } = await load(worker, r, { seconds: SECONDS, requests });
        rps[r.name].push(value);
        const codes = Object.entries(out.statusCodeStats ?? {}).map(([code, v]) => `${code}×${v.count}`).join(" ");
        console.log(`round ${round}  ${r.name.padEnd(44)} ${value.toFixed(0).padStart(6)} req/s  p50 ${out.latency.p50} ms  p99 ${out.latency.p99} ms  ${codes}${bad ? `  (${bad} failed${out.timeouts ? `, ${out.timeouts} timeouts` : ""})` : ""}`);
      }
    }
    const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const results = Object.fromEntries(routes.map((r) => [r.name, mean(rps[r.name])]));

    // The notifications really fulfilled their orders, with commissions.
    let fulfilment = "not measured";
    if (paidPrefixes.length > 0) {
      const like = paidPrefixes.map(() => "id LIKE ?").join(" OR ");
      const binds = paidPrefixes.map((p) => `${p}%`);
      const posted = await db.prepare(`SELECT COUNT(*) AS n, SUM(status = 'paid') AS paid FROM orders WHERE ${like}`).bind(...binds).first();
      const accrued = await db.prepare(`SELECT COUNT(*) AS n FROM commissions WHERE ${like.replaceAll("id LIKE", "order_id LIKE")}`).bind(...binds).first("n");
      fulfilment = `${posted.paid} of ${posted.n} notified orders paid, ${accrued} commissions accrued by their fulfilment batches`;
    }

    const checkRes = await worker.fetch("/bench/ledger/check");
    const check = { ...(await checkRes.json()), ...d1Cost(checkRes) };
    const auctions = await benchAuctions(worker, { seconds: SECONDS, connections: CONNECTIONS });
    const notes = routes.map((r) => r.note?.()).filter(Boolean);
    return { label, facts, journal: f.journal, routes, results, usage, fulfilment, check, auctions, notes, seconds: (Date.now() - started) / 1000 };
  } finally {
    await worker.dispose();
  }
}

// ── report ─────────────────────────────────────────────────────────────────────────────────────────────────

const verdict = (ok) => (ok ? "PASS" : "MISS");

function goalsOf(run, r) {
  const u = run.usage[r.name];
  if (r.kind === "baseline") return { text: "", misses: 0 };
  const parts = [];
  if (r.goal) {
    const base = run.results[r.goal.baseline];
    // A baseline that answered nothing in its window (a 1 s run on a saturated machine) decides nothing.
    // So does a route none of whose requests came back within its window (a slow route in a 1 s window).
    parts.push(base > 0 && run.results[r.name] > 0 ? `speed ${verdict(run.results[r.name] / base >= r.goal.ratio)}` : "speed n/a");
  }
  parts.push(`rt ${verdict(u.roundTrips <= 2)}`);
  if (r.kind === MONEY) parts.push(`batch ${verdict(u.writes === 1 && u.writeBatches === 1)}`);
  return { text: parts.join(" "), misses: parts.filter((p) => p.endsWith("MISS")).length };
}

function printRun(run) {
  console.log(`\n── ${run.label}: ${CONNECTIONS} connections, ${ROUNDS} × ${SECONDS} s per route; ${run.journal} transfers in the ledger; ${run.seconds.toFixed(0)} s`);
  console.log(`   (database before the fixtures: ${Object.entries(run.facts).map(([k, v]) => `${v} ${k}`).join(", ")})`);
  console.log(`${"route".padEnd(44)}  req/s  ratio to baseline  round trips  batches  writes  rows read  rows written  goals (speed, ≤ 2 rt, 1 batch per money op)`);
  let misses = 0;
  for (const r of run.routes) {
    const base = r.baseline ? run.results[r.baseline] : null;
    const ratio = !r.baseline ? "(baseline)" : !base ? "n/a (baseline 0)" : !run.results[r.name] ? "n/a (none back)" : `${(run.results[r.name] / base).toFixed(2)} × ${r.baseline === SELECT ? "select" : "insert"}`;
    const u = run.usage[r.name];
    const g = goalsOf(run, r);
    misses += g.misses;
    console.log(
      `${r.name.padEnd(44)} ${run.results[r.name].toFixed(0).padStart(6)}  ${ratio.padEnd(17)} ${String(u.roundTrips).padStart(11)} ${String(u.batches).padStart(8)} ${String(u.writes).padStart(7)} ${String(u.rowsRead).padStart(10)} ${String(u.rowsWritten).padStart(13)}  ${g.text}`,
    );
  }
  console.log(`goals: ${misses === 0 ? "all PASS" : `${misses} MISS`} (reads ≥ 0.8 × select, the notification ≥ 0.5 × insert, ≤ 2 D1 round trips, money operations write in exactly 1 batch)`);
  console.log(`payment notification: ${run.fulfilment}`);
  for (const n of run.notes) console.log(`note: ${n}`);
  console.log(`full reconciliation (checkLedger): ok=${run.check.ok}, ${run.check.ms} ms, ${run.check.roundTrips} round trip, ${run.check.rowsRead} rows read`);
  for (const [name, a] of [["one hot lot", run.auctions.one], ["20 lots at once", run.auctions.twenty]]) {
    console.log(`auctions, ${name}: ${a.accepted.toFixed(0)} accepted bids/s (${a.judged.toFixed(0)} judged/s, p99 ${a.p99} ms)`);
  }
}

// ── the scale data ─────────────────────────────────────────────────────────────────────────────────────────

/** Runs `npm run scale:seed -- --persist-to <dir> [--scale <f>]`; returns the JSON facts line it prints last. */
function generateScaleData(dir) {
  const args = ["run", "-s", "scale:seed", "--", "--persist-to", dir, ...(SCALE ? ["--scale", SCALE] : [])];
  console.log(`\ngenerating the scale data: npm ${args.join(" ")}`);
  // The npm that runs this script (npm_execpath) on the project's Node; plain `npm` when started otherwise.
  const [cmd, cmdArgs] = process.env.npm_execpath ? [projectNode, [process.env.npm_execpath, ...args]] : ["npm", args];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, cmdArgs, { cwd: root, stdio: ["ignore", "pipe", "inherit"], env: { ...process.env, PATH: `${path.dirname(projectNode)}${path.delimiter}${process.env.PATH}` } });
    let stdout = "";
    child.stdout.on("data", (d) => {
      stdout += d;
      process.stdout.write(d);
    });
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code !== 0) return reject(new Error(`scale:seed exited with ${code}`));
      const last = stdout.trim().split("\n").reverse().find((l) => l.trim().startsWith("{"));
      try {
        resolve(last ? JSON.parse(last) : null);
      } catch {
        resolve(null);
      }
    });
  });
}

async function scaledRun() {
  let dir = arg("--scaled") ?? process.env.BENCH_SCALED_DIR;
  let generated = null;
  const work = await mkdtemp(path.join(tmpdir(), "bench-scaled-"));
  try {
    let facts = null;
    if (!dir) {
      const pkg = JSON.parse(await readFile(path.join(root, "package.json"), "utf8"));
      if (!pkg.scripts?.["scale:seed"]) {
        console.log("\nscaled run skipped: package.json has no `scale:seed` script (or pass --scaled <dir>)");
        return null;
      }
      generated = path.join(work, "generated");
      facts = await generateScaleData(generated);
      dir = generated;
    }
    // The bench writes (fixtures, thousands of orders): it runs on a copy, and the given state stays as it was.
    const copy = path.join(work, "state");
    await cp(path.resolve(dir), copy, { recursive: true });
    const counts = facts?.counts ? `generator factor ${facts.factor}: ${Object.entries(facts.counts).map(([k, v]) => `${v} ${k}`).join(", ")}` : dir;
    const run = await benchRun(`scaled (${counts})`, { persistTo: copy, facts });
    return run;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

// ── main ───────────────────────────────────────────────────────────────────────────────────────────────────

const startedAll = Date.now();
if (process.argv.includes("--auctions")) {
  const worker = await startLocalWorker({ bindings: { BENCH_ROUTES: "1", LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" } });
  try {
    await benchAuctions(worker, { seconds: SECONDS, connections: CONNECTIONS });
  } finally {
    await worker.dispose();
  }
  process.exit(0);
}
const only = arg("--only");
const runs = [];
if (only !== "scaled") runs.push(await benchRun("empty database (migrations + dev seed)"));
if (only !== "empty") {
  const run = await scaledRun();
  if (run) runs.push(run);
}
console.log(`\n════ results${QUICK ? " (quick mode: 1 round of 1 s per route — indicative only)" : ""} ════`);
for (const run of runs) printRun(run);
console.log(`\nwhole bench took ${((Date.now() - startedAll) / 1000).toFixed(0)} s`);
