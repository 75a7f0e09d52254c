// The scale data of issue 15 as SQL, built by a pure function so that `npm run scale:seed` (full scale, into a
// persisted local D1) and the workers tests (a small factor, into the test's own D1) run the very same statements.
//
// Ids are the generator's own (sm_…, sc_…; orders SO… and withdrawals SW…, alphanumeric as WeChat Pay's bill
// numbers must be), so the data sits beside the demo seed without colliding. Every row is generated inside SQLite
// (INSERT … SELECT over a recursive counter, in chunks), never in JavaScript.
// Money goes through the ledger's own triggers: only `transfers` rows are inserted and the append-only triggers
// move the balances, so each account equals the sum of its transfers by construction, overdrafts abort, and a
// pending transfer is resolved at most once (flags, pending_id and the resolution guard are the real ones).
//
// Shape (factor 1): 100,000 members in referral chains, 200 courses, 50,000 orders with their commissions (two
// levels at most, each from the order's own snapshot), 1,000,000 transfers, 5,000 withdrawals, 2 rounds with 200
// holders (the legal cap), 50 ended lots with their bids. Member `sm_1` — the "hero" — has the longest history of
// everything: orders, commissions (a large direct team), withdrawals, bids, a holding and a ledger account with
// tens of thousands of transfers. Transfers beyond what the business rows produce are bench-style transfers
// (commission_expense → commission_available:bench-<k>, code `bench`), the kind `npm run bench` writes itself,
// so no member's balance is touched by them.

const DAY = 86_400_000;
const CHUNK = 25_000;

/** Commission rates (bps) written into every order's snapshot, by the earner's tier. */
export const SCALE_RATES = {
  promoter: { level1Bps: 1000, level2Bps: 500 },
  channel_partner: { level1Bps: 1500, level2Bps: 800 },
  shareholder: { level1Bps: 2000, level2Bps: 1000 },
};
const FROZEN_DAYS = 7;
const FEE_BPS = 100;
const SCALE_ADMIN = "sm_scale_admin";

/** How many of each thing a factor means; small factors keep enough history to exceed every page size. */
export function scaleCounts(factor = 1) {
  const n = (full, min) => Math.max(min, Math.round(full * factor));
  const members = n(100_000, 500);
  const courses = n(200, 20);
  const holders = Math.min(200, n(200, 20));
  return {
    members,
    courses,
    /** The hero's own direct referrals (level 1 of the hero's team). */
    heroTeam: Math.max(120, Math.round(members * 0.05)),
    orders: n(50_000, 300),
    transfers: n(1_000_000, 5_000),
    withdrawals: n(5_000, 80),
    heroWithdrawals: n(100, 120),
    /** Round 1 (succeeded) holds most; round 2 (open) has paid subscribers; together the cap. */
    round1Holders: holders - Math.floor(holders / 4),
    round2Subscribers: Math.floor(holders / 4),
    lots: n(50, 5),
    bidsPerLot: n(200, 60),
  };
}

const q = (s) => `'${String(s).replaceAll("'", "''")}'`;
/** A counter: `WITH RECURSIVE seq(n)` over [from, to]. */
const seq = (from, to) => `WITH RECURSIVE seq(n) AS (SELECT ${from} UNION ALL SELECT n + 1 FROM seq WHERE n < ${to})`;
/** [from, to] in chunks of at most `size`. */
function* chunks(from, to, size = CHUNK) {
  for (let a = from; a <= to; a += size) yield [a, Math.min(to, a + size - 1)];
}
const tierRate = (tierSql, level) =>
  `(CASE ${tierSql} ${Object.entries(SCALE_RATES).map(([t, r]) => `WHEN '${t}' THEN ${level === 1 ? r.level1Bps : r.level2Bps}`).join(" ")} ELSE 0 END)`;
const earns = (tierSql) => `${tierSql} IN (${Object.keys(SCALE_RATES).map(q).join(", ")})`;

/**
 * The steps, in order: each a label (for progress lines) and its SQL statements. Run each statement once, in order,
 * against a migrated database without scale data. `now` fixes every timestamp (ms), so a run is reproducible.
 */
export function scaleSeedSteps(factor = 1, now = Date.now()) {
  const c = scaleCounts(factor);
  const steps = [];
  const step = (label, ...sql) => steps.push({ label, sql: sql.flat() });
  const M = c.members;
  const K = c.heroTeam;
  const r1First = K + 2; // round 1 holders (besides the hero) and round 2 subscribers follow the hero's team
  const r1Last = r1First + c.round1Holders - 2;
  const r2First = r1Last + 1;
  const r2Last = r2First + c.round2Subscribers - 1;
  const promoterLast = Math.floor(M / 5);

  // Members: sm_1 is the hero (a channel partner, so no tier grants it every course and it can still buy one); sm_2..sm_{K+1} are the hero's direct team; everyone after refers up
  // a chain of fan-out five (n → (n-1)/5), so there are members at every depth. Members with referrals promote.
  const tier = `CASE WHEN n = 1 OR n BETWEEN ${r1First} AND ${r2Last} THEN 'channel_partner'
    WHEN n <= ${promoterLast} THEN 'promoter' ELSE 'member' END`;
  const referrer = `CASE WHEN n = 1 THEN NULL WHEN n <= ${K + 1} THEN 'sm_1' ELSE 'sm_' || ((n - 1) / 5) END`;
  const joined = (n) => `${now - 400 * DAY} + ${n} * ${Math.floor((300 * DAY) / M)}`;
  step(
    `members (${M})`,
    [...chunks(1, M)].map(
      ([a, b]) => `INSERT INTO members (id, openid, nickname, tier, roles, referrer_id, bound_at, invite_code, created_at)
        ${seq(a, b)} SELECT 'sm_' || n, 'scale-openid-' || n, '会员' || n, ${tier}, '[]', ${referrer},
          CASE WHEN n = 1 THEN NULL ELSE ${joined("n")} + 60000 END, 'SC' || n, ${joined("n")} FROM seq`,
    ),
    `INSERT INTO members (id, openid, nickname, tier, roles, invite_code, created_at)
      VALUES (${q(SCALE_ADMIN)}, 'scale-openid-admin', '规模数据管理员', 'member', '["admin"]', 'SCADMIN', ${now - 400 * DAY})`,
    [...chunks(2, M)].map(
      ([a, b]) => `INSERT INTO referral_bindings (id, member_id, referrer_id, source, created_at)
        ${seq(a, b)} SELECT 'srb_' || n, m.id, m.referrer_id, 'seed', m.bound_at FROM seq JOIN members m ON m.id = 'sm_' || n`,
    ),
  );

  // Courses: two chapters of three lessons each; the first lesson is a free trial, every lesson has media.
  const C = c.courses;
  step(
    `courses (${C})`,
    `INSERT INTO courses (id, title, subtitle, instructor, description, price_fen, status, sort_order, published_at, created_at, updated_at)
      ${seq(1, C)} SELECT 'sc_' || n, '规模课程 ' || n, '第 ' || n || ' 门', '讲师 ' || (n % 17), '规模数据生成的课程。',
        990 + (n % 10) * 1000, 'published', n, ${now - 500 * DAY}, ${now - 500 * DAY}, ${now - 500 * DAY} FROM seq`,
    `INSERT INTO chapters (id, course_id, title, sort_order)
      ${seq(1, 2 * C)} SELECT 'sch_' || ((n + 1) / 2) || '_' || (2 - n % 2), 'sc_' || ((n + 1) / 2), '第 ' || (2 - n % 2) || ' 章', 2 - n % 2 FROM seq`,
    `INSERT INTO lessons (id, course_id, chapter_id, title, kind, media_key, media_content_type, media_bytes, duration_sec, is_trial, sort_order)
      ${seq(0, 6 * C - 1)} SELECT 'sl_' || (n / 6 + 1) || '_' || (n % 6 + 1), 'sc_' || (n / 6 + 1), 'sch_' || (n / 6 + 1) || '_' || ((n % 6) / 3 + 1),
        '第 ' || (n % 6 + 1) || ' 课', 'video', 'lessons/scale/' || (n / 6 + 1) || '/' || (n % 6 + 1) || '.mp4', 'video/mp4', 1048576, 600,
        CASE WHEN n % 6 = 0 THEN 1 ELSE 0 END, n % 3 FROM seq`,
  );

  // Orders. The hero bought every course but the last (one paid order each) and let four more orders per course
  // expire; everyone else buys one course. Each order snapshots its two uplines and their rates from the members as generated.
  const O = c.orders;
  const heroOrders = 5 * C;
  const others = Math.max(1, O - heroOrders);
  const span = 360 * DAY;
  const plan = (r1, r2) => `json_object('frozenDays', ${FROZEN_DAYS}, 'earners', json(
      '[' || concat_ws(',',
        CASE WHEN ${earns(`${r1}.tier`)} THEN json_object('level', 1, 'earnerId', ${r1}.id, 'tier', ${r1}.tier, 'rateBps', ${tierRate(`${r1}.tier`, 1)}) END,
        CASE WHEN ${earns(`${r2}.tier`)} THEN json_object('level', 2, 'earnerId', ${r2}.id, 'tier', ${r2}.tier, 'rateBps', ${tierRate(`${r2}.tier`, 2)}) END) || ']'))`;
  const orderCols = `id, member_id, kind, subject_id, open_key, description, amount_fen, status, prepay_id, prepaid_at, transaction_id,
    fulfilment_id, referrer1_id, referrer2_id, commission_plan, expires_at, paid_at, closed_at, created_at, updated_at`;
  step(
    `orders (${heroOrders + others})`,
    `INSERT INTO orders (${orderCols})
      ${seq(0, heroOrders - 1)}, o AS (SELECT n, 'SOH' || (n / 5 + 1) || 'N' || (n % 5) AS id, 'sc_' || (n / 5 + 1) AS course,
        ${now - 390 * DAY} + n * ${Math.floor((380 * DAY) / heroOrders)} AS at, n % 5 = 0 AND n / 5 + 1 < ${C} AS paid FROM seq)
      SELECT o.id, 'sm_1', 'course', o.course, NULL, cs.title, cs.price_fen, CASE WHEN o.paid THEN 'paid' ELSE 'closed' END,
        'wx_prepay_' || o.id, o.at, CASE WHEN o.paid THEN 'wx_txn_' || o.id END, CASE WHEN o.paid THEN 'fulfil_' || o.id END,
        NULL, NULL, '{"frozenDays":${FROZEN_DAYS},"earners":[]}', o.at + 7200000,
        CASE WHEN o.paid THEN o.at + 60000 END, CASE WHEN NOT o.paid THEN o.at + 7200000 END, o.at, o.at + 60000
      FROM o JOIN courses cs ON cs.id = o.course`,
    [...chunks(1, others)].map(
      ([a, b]) => `INSERT INTO orders (${orderCols})
        ${seq(a, b)}, o AS (SELECT n, 'SOA' || n AS id, 'sm_' || (2 + (n - 1) % ${M - 1}) AS buyer, 'sc_' || (1 + (n - 1) % ${C}) AS course,
          ${now - span} + n * ${Math.floor(span / others)} AS at, n % 20 <> 0 AS paid FROM seq)
        SELECT o.id, o.buyer, 'course', o.course, NULL, cs.title, cs.price_fen, CASE WHEN o.paid THEN 'paid' ELSE 'closed' END,
          'wx_prepay_' || o.id, o.at, CASE WHEN o.paid THEN 'wx_txn_' || o.id END, CASE WHEN o.paid THEN 'fulfil_' || o.id END,
          r1.id, r2.id, ${plan("r1", "r2")}, o.at + 7200000,
          CASE WHEN o.paid THEN o.at + 60000 END, CASE WHEN NOT o.paid THEN o.at + 7200000 END, o.at, o.at + 60000
        FROM o JOIN courses cs ON cs.id = o.course JOIN members b ON b.id = o.buyer
          LEFT JOIN members r1 ON r1.id = b.referrer_id LEFT JOIN members r2 ON r2.id = r1.referrer_id`,
    ),
  );

  // What paid orders bring: the entitlement, the buyer's lifetime spend, the commissions of their snapshot (frozen
  // for FROZEN_DAYS, then settled), and the revenue, accrual and settlement transfers with the fulfilment's own ids.
  const months = [];
  for (let t = now - 400 * DAY; t < now + DAY; t += 30 * DAY) months.push([t, t + 30 * DAY]);
  const settled = `due <= ${now}`;
  step(
    "entitlements, spend, commissions",
    `INSERT INTO entitlements (member_id, course_id, source, order_id, granted_at)
      SELECT member_id, subject_id, 'order', id, paid_at FROM orders WHERE status = 'paid' AND kind = 'course' AND id GLOB 'SO*'`,
    `INSERT INTO member_spend (member_id, lifetime_fen, updated_at)
      SELECT member_id, sum(amount_fen), max(paid_at) FROM orders WHERE status = 'paid' AND kind = 'course' AND id GLOB 'SO*' GROUP BY member_id`,
    months.map(
      ([a, b]) => `INSERT INTO commissions (id, order_id, earner_id, buyer_id, level, tier, rate_bps, base_fen, amount_fen, settled_fen, status,
          available_at, version, created_at, updated_at)
        SELECT id, order_id, earner, buyer, level, tier, rate, base, amount, CASE WHEN ${settled} THEN amount ELSE 0 END,
          CASE WHEN ${settled} THEN 'available' ELSE 'frozen' END, due, CASE WHEN ${settled} THEN 1 ELSE 0 END, paid_at,
          CASE WHEN ${settled} THEN due ELSE paid_at END
        FROM (SELECT 'commission:' || o.id || ':' || json_extract(e.value, '$.level') AS id, o.id AS order_id,
            json_extract(e.value, '$.earnerId') AS earner, o.member_id AS buyer, json_extract(e.value, '$.level') AS level,
            json_extract(e.value, '$.tier') AS tier, json_extract(e.value, '$.rateBps') AS rate, o.amount_fen AS base,
            o.amount_fen * json_extract(e.value, '$.rateBps') / 10000 AS amount, o.paid_at, o.paid_at + ${FROZEN_DAYS * DAY} AS due
          FROM orders o, json_each(o.commission_plan, '$.earners') e
          WHERE o.status = 'paid' AND o.kind = 'course' AND o.created_at >= ${a} AND o.created_at < ${b} AND o.id GLOB 'SO*')
        WHERE amount > 0`,
    ),
    `INSERT INTO commission_movements (id, commission_id, kind, amount_fen, refund_id, gate, created_at)
      SELECT id || ':settle', id, 'settle', amount_fen, NULL, 1, available_at FROM commissions WHERE status = 'available' AND id GLOB 'commission:SO*'`,
  );

  const account = (id, code, owner, flags) => `(${q(id)}, ${q(code)}, ${owner === null ? "NULL" : q(owner)}, ${flags}, ${now - 500 * DAY})`;
  const BENCH_ACCOUNTS = 100;
  step(
    "accounts",
    `INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at) VALUES
      ${[
        account("wechat_clearing", "wechat_clearing", null, 0),
        account("revenue_course", "revenue_course", null, 0),
        account("commission_expense", "commission_expense", null, 0),
        account("fees", "fees", null, 0),
        account("equity_capital", "equity_capital", null, 1),
        account("crowdfund_escrow:sr_1", "crowdfund_escrow", "sr_1", 1),
        account("crowdfund_escrow:sr_2", "crowdfund_escrow", "sr_2", 1),
      ].join(", ")}`,
    ["commission_frozen", "commission_available", "payout_in_flight"].map(
      (code) => `INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at)
        SELECT '${code}:' || earner_id, '${code}', earner_id, 1, min(created_at) FROM commissions WHERE id GLOB 'commission:SO*' GROUP BY earner_id`,
    ),
    `INSERT OR IGNORE INTO accounts (id, code, owner, flags, created_at)
      ${seq(1, BENCH_ACCOUNTS)} SELECT 'commission_available:bench-' || n, 'commission_available', 'bench-' || n, 1, ${now - 500 * DAY} FROM seq`,
  );

  const transferCols = "id, debit_account_id, credit_account_id, amount, code, reference, pending_id, flags, timeout_at, created_at";
  step(
    "transfers: sales, commissions accrued and settled",
    months.flatMap(([a, b]) => [
      `INSERT INTO transfers (${transferCols})
        SELECT 'order:' || id || ':revenue', 'wechat_clearing', 'revenue_course', amount_fen, 'course_sale', 'order:' || id, NULL, 0, NULL, paid_at
        FROM orders WHERE status = 'paid' AND kind = 'course' AND created_at >= ${a} AND created_at < ${b} AND id GLOB 'SO*' ORDER BY paid_at`,
      `INSERT INTO transfers (${transferCols})
        SELECT id, 'commission_expense', 'commission_frozen:' || earner_id, amount_fen, 'commission_accrued', 'order:' || order_id, NULL, 0, NULL, created_at
        FROM commissions WHERE created_at >= ${a} AND created_at < ${b} AND id GLOB 'commission:SO*' ORDER BY created_at`,
      `INSERT INTO transfers (${transferCols})
        SELECT id || ':settle', 'commission_frozen:' || earner_id, 'commission_available:' || earner_id, amount_fen, 'commission_settled',
          'order:' || order_id, NULL, 0, NULL, available_at
        FROM commissions WHERE status = 'available' AND created_at >= ${a} AND created_at < ${b} AND id GLOB 'commission:SO*' ORDER BY available_at`,
    ]),
  );

  // Withdrawals from what was settled: the hero's many (a quarter of the balance in all), then one each for the
  // best earners (a quarter of theirs). Every tenth waits for approval, every tenth (+1) was rejected, the rest paid.
  const HW = c.heroWithdrawals;
  const others2 = Math.max(20, c.withdrawals - HW);
  const wspan = 300 * DAY;
  step(
    `withdrawals (${HW + others2} at most)`,
    `INSERT INTO withdrawals (id, member_id, amount_fen, fee_fen, net_fen, dividends_fen, status, status_reason, day, requires_second_approval,
        approver_person, approver_id, approved_at, rejected_by, transfer_bill_no, wechat_state, created_at, updated_at, finished_at)
      WITH w0 AS (
        SELECT 'SWH' || n AS id, 'sm_1' AS member_id, (SELECT credits_posted FROM accounts WHERE id = 'commission_available:sm_1') / ${4 * HW} AS amount,
          n AS k, ${now - wspan} + n * ${Math.floor(wspan / HW)} AS at
        FROM (${seq(1, HW)} SELECT n FROM seq)
        UNION ALL
        SELECT 'SWA' || k, owner, credits_posted / 4, k, ${now - wspan} + k * ${Math.floor(wspan / others2)}
        FROM (SELECT owner, credits_posted, row_number() OVER (ORDER BY credits_posted DESC, owner) AS k FROM accounts
              WHERE code = 'commission_available' AND owner GLOB 'sm_*' AND owner <> 'sm_1' AND credits_posted >= 400)
        WHERE k <= ${others2}),
      w AS (SELECT *, amount * ${FEE_BPS} / 10000 AS fee, CASE k % 10 WHEN 0 THEN 'pending' WHEN 1 THEN 'rejected' ELSE 'paid' END AS status FROM w0 WHERE amount >= 2)
      SELECT id, member_id, amount, fee, amount - fee, 0, status, CASE status WHEN 'rejected' THEN '规模数据：驳回' END,
        strftime('%Y-%m-%d', (at + 28800000) / 1000, 'unixepoch'), 0,
        CASE status WHEN 'paid' THEN 'person:${SCALE_ADMIN}' END, CASE status WHEN 'paid' THEN ${q(SCALE_ADMIN)} END,
        CASE status WHEN 'paid' THEN at + 3600000 END, CASE status WHEN 'rejected' THEN ${q(SCALE_ADMIN)} END,
        CASE status WHEN 'paid' THEN 'bill_' || id END, CASE status WHEN 'paid' THEN 'SUCCESS' END, at, at + 7200000,
        CASE status WHEN 'pending' THEN NULL ELSE at + 7200000 END
      FROM w`,
    `INSERT INTO withdrawal_days (member_id, day, count, amount_fen, max_count, max_amount_fen)
      SELECT member_id, day, count(*), sum(amount_fen), max(10, count(*)), max(100000000, sum(amount_fen)) FROM withdrawals WHERE id GLOB 'SW*' GROUP BY member_id, day`,
    `INSERT INTO transfers (${transferCols})
      SELECT 'withdrawal:' || id || ':' || leg, 'commission_available:' || member_id, CASE leg WHEN 'net' THEN 'payout_in_flight:' || member_id ELSE 'fees' END,
        CASE leg WHEN 'net' THEN net_fen ELSE fee_fen END, CASE leg WHEN 'net' THEN 'withdrawal_requested' ELSE 'withdrawal_fee' END,
        'withdrawal:' || id, NULL, 1, NULL, created_at
      FROM withdrawals, (SELECT 'net' AS leg UNION ALL SELECT 'fee') WHERE id GLOB 'SW*' AND (leg = 'net' OR fee_fen > 0) ORDER BY created_at, leg DESC`,
    `INSERT INTO transfers (${transferCols})
      SELECT t.id || CASE w.status WHEN 'paid' THEN ':post' ELSE ':void' END, t.debit_account_id, t.credit_account_id, t.amount, t.code, t.reference, t.id,
        CASE w.status WHEN 'paid' THEN 2 ELSE 4 END, NULL, w.finished_at
      FROM withdrawals w JOIN transfers t ON t.reference = 'withdrawal:' || w.id AND t.flags = 1
      WHERE w.id GLOB 'SW*' AND w.status IN ('paid', 'rejected') ORDER BY w.finished_at, t.seq`,
    `INSERT INTO transfers (${transferCols})
      SELECT 'withdrawal:' || id || ':paid', 'payout_in_flight:' || member_id, 'wechat_clearing', net_fen, 'withdrawal_paid', 'withdrawal:' || id, NULL, 0, NULL, finished_at
      FROM withdrawals WHERE id GLOB 'SW*' AND status = 'paid' ORDER BY finished_at`,
    `INSERT INTO audit_log (id, actor_id, actor_kind, action, target_type, target_id, before, after, request_id, created_at)
      SELECT 'sal_' || id, ${q(SCALE_ADMIN)}, 'admin', CASE status WHEN 'paid' THEN 'withdrawal.approved' ELSE 'withdrawal.rejected' END, 'withdrawal', id,
        json_object('status', 'pending'), json_object('status', CASE status WHEN 'paid' THEN 'approved' ELSE 'rejected' END), NULL, finished_at - 3600000
      FROM withdrawals WHERE id GLOB 'SW*' AND status IN ('paid', 'rejected')`,
  );

  // Crowdfunding: round 1 succeeded (the hero among its holders; it grants channel partner, which they all are), round 2 is open with paid subscribers; together
  // exactly the holders of scaleCounts (never more than the legal cap of 200), so the hero — already a holder — can
  // still subscribe to round 2.
  const price = 100_000;
  const h1 = c.round1Holders;
  const h2 = c.round2Subscribers;
  const subscriber = (r, i) => (r === 1 ? `CASE WHEN ${i} = 0 THEN 'sm_1' ELSE 'sm_' || (${r1First} + ${i} - 1) END` : `'sm_' || (${r2First} + ${i})`);
  const round = (id, title, opens, closes, state, sold, target, closedAt) => `(${q(id)}, ${q(title)}, '规模数据生成的众筹轮次。', '投资有风险，认购需谨慎。', 1,
      ${price}, 10000, 1, 100, ${target}, '["channel_partner","shareholder"]', 'channel_partner', ${opens}, ${closes}, ${q(state)}, 0, ${sold},
      ${opens - DAY}, ${closedAt ?? opens}, ${closedAt ?? "NULL"}, ${closedAt ? q(`close_${id}`) : "NULL"})`;
  const shares = (i) => `(1 + ${i} % 5)`;
  const sold = (count) => Array.from({ length: count }, (_, i) => 1 + (i % 5)).reduce((x, y) => x + y, 0);
  const r1Open = now - 200 * DAY;
  const r2Open = now - 10 * DAY;
  step(
    `rounds (2, ${h1 + h2} holders)`,
    `INSERT INTO rounds (id, title, description, risk_disclosure, disclosure_version, share_price_fen, total_shares, min_shares, max_shares, target_shares,
        eligible_tiers, tier_on_success, opens_at, closes_at, state, reserved_shares, sold_shares, created_at, updated_at, closed_at, close_id) VALUES
      ${round("sr_1", "规模众筹第一期", r1Open, r1Open + 30 * DAY, "succeeded", sold(h1), h1, r1Open + 30 * DAY)},
      ${round("sr_2", "规模众筹第二期", r2Open, r2Open + 40 * DAY, "open", sold(h2), 1000, null)}`,
    `INSERT INTO round_state_changes (id, round_id, from_state, to_state, actor_id, reason, created_at) VALUES
      ('srsc_1_open', 'sr_1', 'draft', 'open', ${q(SCALE_ADMIN)}, '', ${r1Open}),
      ('srsc_1_close', 'sr_1', 'open', 'succeeded', 'system', '达到目标', ${r1Open + 30 * DAY}),
      ('srsc_2_open', 'sr_2', 'draft', 'open', ${q(SCALE_ADMIN)}, '', ${r2Open})`,
    [
      [1, h1, r1Open],
      [2, h2, r2Open],
    ].flatMap(([r, count, opens]) => [
      `INSERT INTO share_subscriptions (id, round_id, member_id, shares, amount_fen, status, order_id, disclosure_version, disclosure_acked_at, expires_at,
          created_at, updated_at, paid_at)
        ${seq(0, count - 1)} SELECT 'ss_${r}_' || n, 'sr_${r}', ${subscriber(r, "n")}, ${shares("n")}, ${shares("n")} * ${price}, 'paid', 'SOR${r}N' || n, 1,
          ${opens} + n * 60000, ${opens} + n * 60000 + 1800000, ${opens} + n * 60000, ${opens} + n * 60000 + 60000, ${opens} + n * 60000 + 60000 FROM seq`,
      `INSERT INTO orders (${orderCols})
        SELECT order_id, member_id, 'share_subscription', id, NULL, '规模众筹第${r === 1 ? "一" : "二"}期', amount_fen, 'paid', 'wx_prepay_' || order_id,
          created_at, 'wx_txn_' || order_id, 'fulfil_' || order_id, NULL, NULL, '[]', expires_at, paid_at, NULL, created_at, paid_at
        FROM share_subscriptions WHERE round_id = 'sr_${r}'`,
      `INSERT INTO transfers (${transferCols})
        SELECT 'order:' || order_id || ':escrow', 'wechat_clearing', 'crowdfund_escrow:sr_${r}', amount_fen, 'share_subscription', 'order:' || order_id,
          NULL, 0, NULL, paid_at FROM share_subscriptions WHERE round_id = 'sr_${r}' ORDER BY paid_at`,
    ]),
    `INSERT INTO transfers (${transferCols})
      SELECT 'round:sr_1:equity', 'crowdfund_escrow:sr_1', 'equity_capital', sum(amount_fen), 'round_succeeded', 'round:sr_1', NULL, 0, NULL, ${r1Open + 30 * DAY}
      FROM share_subscriptions WHERE round_id = 'sr_1' AND status = 'paid'`,
    `INSERT INTO round_closings (round_id, outcome, sold_shares, escrow_fen, gate, created_at)
      SELECT 'sr_1', 'succeeded', sum(shares), sum(amount_fen), 1, ${r1Open + 30 * DAY} FROM share_subscriptions WHERE round_id = 'sr_1' AND status = 'paid'`,
    `INSERT INTO share_holdings (member_id, round_id, shares, acquired_at)
      SELECT member_id, round_id, shares, ${r1Open + 30 * DAY} FROM share_subscriptions WHERE round_id = 'sr_1' AND status = 'paid'`,
    // The counter the cap CHECK guards, recounted the way worker/crowdfunding/holders.ts counts.
    `INSERT INTO shareholder_count (id, holders, cap) VALUES ('all', 0, 200) ON CONFLICT DO NOTHING`,
    `UPDATE shareholder_count SET holders = (SELECT count(*) FROM (SELECT member_id FROM share_subscriptions WHERE status IN ('reserved', 'paid')
      UNION SELECT member_id FROM share_holdings)) WHERE id = 'all'`,
  );

  // Ended lots with their bids (no deposit asked). The reserve was never met, so each ended unsold with its last
  // bidder leading; the hero placed every third bid.
  const L = c.lots;
  const B = c.bidsPerLot;
  const start = 10_000;
  const stepFen = 1_000;
  const lotStart = (n) => `${now - 60 * DAY} + ${n} * ${DAY}`;
  step(
    `lots (${L}, ${L * B} bids)`,
    `INSERT INTO lot_bids (id, lot_id, seq, member_id, amount_fen, kind, placed_at)
      ${seq(0, L * B - 1)} SELECT 'sbid_' || (n / ${B} + 1) || '_' || (n % ${B} + 1), 'slot_' || (n / ${B} + 1), n % ${B} + 1,
        CASE WHEN n % 3 = 2 THEN 'sm_1' ELSE 'sm_' || (2 + (n * 7) % ${M - 1}) END, ${start} + (n % ${B}) * ${stepFen}, 'bid',
        ${lotStart(`(n / ${B})`)} + (n % ${B}) * 60000 FROM seq`,
    `INSERT INTO lots (id, title, instructor, description, start_price_fen, reserve_price_fen, increment_ladder, deposit_fen, starts_at, ends_at,
        anti_snipe_window_sec, anti_snipe_extend_sec, anti_snipe_max_extensions, payment_deadline_hours, commissionable, status, current_price_fen,
        bid_count, leader_member_id, closes_at, live_seq, ended_at, created_by, created_at, updated_at)
      ${seq(0, L - 1)} SELECT 'slot_' || (n + 1), '规模拍品 ' || (n + 1), '讲师 ' || (n % 17), '规模数据生成的拍品。', ${start}, ${start + (B + 10) * stepFen},
        '[{"belowFen":null,"stepFen":${stepFen}}]', 0, ${lotStart("n")}, ${lotStart("n")} + ${DAY}, 60, 120, 10, 72, 0, 'unsold',
        ${start + (B - 1) * stepFen}, ${B}, (SELECT member_id FROM lot_bids WHERE lot_id = 'slot_' || (n + 1) AND seq = ${B}), ${lotStart("n")} + ${DAY},
        ${B}, ${lotStart("n")} + ${DAY}, ${q(SCALE_ADMIN)}, ${lotStart("n")} - ${DAY}, ${lotStart("n")} + ${DAY} FROM seq`,
  );

  // The rest of the journal: bench-style transfers on bench accounts, up to the target count of transfers.
  const T = c.transfers;
  step(
    `transfers up to ${T}`,
    [...chunks(1, T, 50_000)].map(
      ([a, b]) => `INSERT INTO transfers (${transferCols})
        ${seq(a, b)} SELECT 'bench:scale:' || n, 'commission_expense', 'commission_available:bench-' || (1 + n % ${BENCH_ACCOUNTS}), 1 + n % 97, 'bench',
          'bench:scale', NULL, 0, NULL, ${now - 365 * DAY} + n * ${Math.max(1, Math.floor((365 * DAY) / T))}
        FROM seq WHERE (SELECT coalesce(max(seq), 0) FROM transfers) + (n - ${a}) < ${T}`,
    ),
  );
  return { counts: c, steps, facts: scaleFacts(c) };
}

/** The ids a bench or a test needs (no tokens): the member with the longest history and what they can act on. */
export function scaleFacts(c) {
  const r1First = c.heroTeam + 2;
  return {
    memberId: "sm_1",
    adminMemberId: SCALE_ADMIN,
    memberAccountId: "commission_available:sm_1",
    teamMemberId: "sm_2",
    courseId: "sc_1",
    lessonId: "sl_1_2",
    /** The one course the hero has not bought (an order for it can be created). */
    unboughtCourseId: `sc_${c.courses}`,
    roundId: "sr_2",
    closedRoundId: "sr_1",
    lotId: "slot_1",
    withdrawalId: "SWH2",
    /** Round-1 holders, who may still subscribe to round 2 once each although the holder cap is reached. */
    roundSubscriberIds: ["sm_1", ...Array.from({ length: c.round1Holders - 1 }, (_, i) => `sm_${r1First + i}`)],
  };
}

/** One row of counts, to print after seeding and to check the shape. */
export const scaleCountsQuery = `SELECT
  (SELECT count(*) FROM members) AS members, (SELECT count(*) FROM courses) AS courses, (SELECT count(*) FROM orders) AS orders,
  (SELECT count(*) FROM commissions) AS commissions, (SELECT coalesce(max(seq), 0) FROM transfers) AS transfers,
  (SELECT count(*) FROM withdrawals) AS withdrawals, (SELECT count(*) FROM rounds) AS rounds,
  (SELECT holders FROM shareholder_count WHERE id = 'all') AS holders, (SELECT count(*) FROM lots) AS lots, (SELECT count(*) FROM lot_bids) AS bids`;
