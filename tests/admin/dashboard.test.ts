import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { dashboardFigures } from "../../worker/console/dashboard-figures";
import { readFigures } from "../../worker/console/dashboard";
import { beijingDateSql } from "../../worker/calendar/beijing";
import { dashboardWindow } from "../../worker/console/dashboard-series";
import { fulfilPayment } from "../../worker/orders/fulfilment";
import { settleRefund } from "../../worker/orders/refunds";
import { applyTransferBill } from "../../worker/payouts/transfer";
import { createLogger } from "../../worker/http/log";
import { wechatPayConfig } from "../../worker/wechat/pay/client";
import { call, mintMember } from "../support/api";
import { expectLedgerInvariants } from "../support/ledger-invariants";
import { chain } from "../commissions/support";
import { placeOrder, sandboxPay, seedCourse } from "../orders/support";
import { approve, deliver, earn, finishTransfer, seedPerson, withdraw } from "../payouts/support";
import { fetchWorker, loginSession, seedAdmin } from "./support";

const log = createLogger({ test: "dashboard" });
const config = wechatPayConfig(env);
const w = dashboardWindow(Date.now());
/** Index in the window of the Beijing day `daysAgo` days before today, and an instant (noon) on that day. */
const idx = (daysAgo: number) => w.days.length - 1 - daysAgo;
const on = (daysAgo: number) => new Date(Date.parse(`${w.days[idx(daysAgo)]}T12:00:00+08:00`));

/** The member pays at the sandbox; its notification's content is applied as the route would, dated on a given day. */
async function paidOn(token: string, courseId: string, daysAgo: number): Promise<string> {
  const { order } = await placeOrder(token, courseId);
  await sandboxPay(order.id);
  const tx = { appid: config.appid, mchid: config.mchid, out_trade_no: order.id, transaction_id: `T${order.id}`, trade_state: "SUCCESS" as const, amount: { total: order.amountFen, currency: "CNY" } };
  expect(await fulfilPayment(env.DB, config, tx, log, daysAgo === 0 ? new Date() : on(daysAgo))).toBe("fulfilled");
  return order.id;
}

/** The ledger's own daily sums over the window: what the series must equal, day by day. */
async function ledgerByDay(where: string): Promise<number[]> {
  const { results } = await env.DB.prepare(
    `SELECT ${beijingDateSql("created_at")} AS day, sum(amount) AS value FROM transfers WHERE ${where} AND created_at >= ? AND created_at < ? GROUP BY 1`,
  ).bind(w.fromMs, w.toMs).all<{ day: string; value: number }>();
  return w.days.map((d) => results.find((r) => r.day === d)?.value ?? 0);
}

let refundedOrder = "";
let payoutOn4 = 0;

describe("the dashboard's 30-day series", () => {
  beforeAll(async () => {
    const [buyer] = await chain([["dash-buyer", "member"], ["dash-partner", "channel_partner"]]);
    await seedCourse("c-dash-100", 10_000);
    await seedCourse("c-dash-50", 5_000);
    await seedCourse("c-dash-20", 2_000);
    await paidOn(buyer, "c-dash-100", 5);
    refundedOrder = await paidOn(buyer, "c-dash-50", 2);
    await paidOn(buyer, "c-dash-20", 0);

    // ¥20 of the ¥50 order refunded, confirmed by WeChat yesterday.
    const admin = (await mintMember({ id: "dash-admin", roles: ["admin"] })).token;
    const asked = await call(`/api/admin/orders/${refundedOrder}/refund`, { token: admin, method: "POST", json: { amountFen: 2_000, reason: "部分退款" } });
    expect(asked.status).toBe(202);
    const { refund } = await asked.json<{ refund: { id: string } }>();
    const settled = await settleRefund(env.DB, config, { mchid: config.mchid, out_trade_no: refundedOrder, out_refund_no: refund.id, refund_id: `WX${refund.id}`, refund_status: "SUCCESS", amount: { refund: 2_000, total: 5_000 } }, log, on(1));
    expect(settled).toBe("settled");

    // Members who joined three and seven days ago.
    const joined = [["dash-j1", 3], ["dash-j2", 3], ["dash-j3", 7]] as const;
    await env.DB.batch(joined.map(([id, daysAgo]) =>
      env.DB.prepare("INSERT INTO members (id, openid, nickname, tier, roles, invite_code, created_at) VALUES (?, ?, '', 'member', '[]', ?, ?)").bind(id, `openid-${id}`, `INV${id}`, on(daysAgo).getTime()),
    ));

    // Two payouts: one transferred four days ago, one today through the sandbox and its notification.
    const payer = await seedPerson("dash-payout-admin", { admin: true });
    for (const [member, daysAgo] of [["dash-payee-1", 4], ["dash-payee-2", 0]] as const) {
      const token = await seedPerson(member);
      await earn(member, 30_000);
      const requested = await withdraw(token, 10_000);
      expect(requested.status).toBe(201);
      expect((await approve(payer, requested.body.id)).status).toBe(200);
      if (daysAgo === 0) {
        expect((await deliver(await finishTransfer(requested.body.id, "SUCCESS"))).status).toBe(204);
      } else {
        expect(await applyTransferBill(env, requested.body.id, { out_bill_no: requested.body.id, state: "SUCCESS", transfer_bill_no: `TB${requested.body.id}` }, log, on(daysAgo))).toBe("paid");
        payoutOn4 = requested.body.netFen;
      }
    }
  });

  it("equal the ledger's journal day by day: payments in, refunds out, commissions accrued, payouts paid", async () => {
    const { series } = await readFigures(env.DB);
    const values = Object.fromEntries(series.map((s) => [s.key, s.values]));
    expect(Object.keys(values)).toEqual(["paid", "refunds", "net", "members", "commissions", "payouts"]);

    const paidIn = await ledgerByDay("debit_account_id = 'wechat_clearing' AND reference LIKE 'order:%'");
    const refundedOut = await ledgerByDay("credit_account_id = 'wechat_clearing' AND id LIKE 'refund:%'");
    expect(values.paid).toEqual(paidIn);
    expect(values.refunds).toEqual(refundedOut);
    expect(values.net).toEqual(paidIn.map((p, i) => p - refundedOut[i]));
    expect(values.commissions).toEqual(await ledgerByDay("code = 'commission_accrued'"));
    expect(values.payouts).toEqual(await ledgerByDay("code = 'withdrawal_paid'"));

    // And on the days things happened, the amounts themselves.
    expect([values.paid[idx(5)], values.paid[idx(2)], values.paid[idx(0)]]).toEqual([10_000, 5_000, 2_000]);
    expect(values.refunds[idx(1)]).toBe(2_000);
    expect(values.net[idx(1)]).toBe(-2_000);
    expect(values.net.reduce((a, b) => a + b, 0)).toBe(15_000);
    expect(values.commissions[idx(5)]).toBeGreaterThan(0);
    expect(values.payouts[idx(4)]).toBe(payoutOn4);
    expect(values.payouts[idx(0)]).toBeGreaterThan(0);
    await expectLedgerInvariants(env.DB);
  });

  it("count new members by the Beijing day they joined", async () => {
    const { series } = await readFigures(env.DB);
    const members = series.find((s) => s.key === "members")!.values;
    expect(members[idx(3)]).toBe(2);
    expect(members[idx(7)]).toBe(1);
    const { results } = await env.DB.prepare(`SELECT ${beijingDateSql("created_at")} AS day, count(*) AS n FROM members GROUP BY 1`).all<{ day: string; n: number }>();
    expect(members).toEqual(w.days.map((d) => results.find((r) => r.day === d)?.n ?? 0));
  });

  it("draw each series as an SVG chart with a title and a table, and today's figures net of refunds", async () => {
    await seedAdmin("dora");
    const { cookie } = await loginSession("dora");
    const html = await (await fetchWorker("/admin", { headers: { cookie } })).text();
    for (const key of ["paid", "refunds", "net", "members", "commissions", "payouts"]) {
      expect(html).toMatch(new RegExp(`<svg viewBox="0 0 600 180" width="100%"[^>]*role="img"[^>]*aria-label="近 30 天[^"]+"[^>]*data-testid="chart-${key}"><title`));
      expect(html).toContain(`data-testid="table-${key}"`);
    }
    expect(html).toMatch(new RegExp(`data-day="${w.days[idx(5)]}" data-value="10000"><title>${w.days[idx(5)]}：¥100.00</title>`));
    expect(html).toMatch(new RegExp(`data-day="${w.days[idx(1)]}" data-value="-2000"`));
    // Today: ¥20 paid, nothing refunded today, so net ¥20.
    expect(html).toMatch(/data-testid="revenue-today"><b>¥20\.00<\/b>/);
    expect(html).toMatch(/data-testid="today-paid"><b>¥20\.00<\/b>/);
  });

  it("link each figure to the list behind it, which shows the same count and amount", async () => {
    await seedAdmin("dina");
    const { cookie } = await loginSession("dina");
    const html = await (await fetchWorker("/admin", { headers: { cookie } })).text();
    const day4 = w.days[idx(4)];
    const day1 = w.days[idx(1)];
    const payoutsHref = `/admin/payouts?status=paid&amp;from=${day4}&amp;to=${day4}`;
    const refundsHref = `/admin/refunds?status=succeeded&amp;from=${day1}&amp;to=${day1}`;
    expect(html).toContain(`href="${payoutsHref}"`);
    expect(html).toContain(`href="${refundsHref}"`);
    expect(html).toContain(`href="/admin/members?from=${w.days[idx(3)]}&amp;to=${w.days[idx(3)]}"`);

    const payouts = await (await fetchWorker(payoutsHref.replaceAll("&amp;", "&"), { headers: { cookie } })).text();
    expect(payouts).toMatch(/data-testid="list-count">1</);
    expect(payouts).toContain(`data-testid="list-amount">¥${(payoutOn4 / 100).toFixed(2)}<`);
    expect(payouts.match(/<tr data-withdrawal-id=/g)).toHaveLength(1);

    const refunds = await (await fetchWorker(refundsHref.replaceAll("&amp;", "&"), { headers: { cookie } })).text();
    expect(refunds).toMatch(/data-testid="list-count">1</);
    expect(refunds).toContain('data-testid="list-amount">¥20.00<');
    expect(refunds).toContain(`href="/admin/orders/${refundedOrder}"`);

    // The filter forms submit blank fields for "any": that is no filter, not an error.
    for (const blank of ["/admin/refunds?status=&from=&to=", "/admin/payouts?status=paid&from=&to="]) {
      expect((await fetchWorker(blank, { headers: { cookie } })).status).toBe(200);
    }
    // A malformed range is refused with the console's error page, not read as no filter.
    for (const bad of ["/admin/refunds?from=2026-02-30", "/admin/refunds?from=2026-03-02&to=2026-03-01", "/admin/payouts?status=paid&from=yesterday"]) {
      const res = await fetchWorker(bad, { headers: { cookie } });
      expect(res.status).toBe(400);
      expect(await res.text()).toContain('data-testid="error-page" data-status="400"');
    }
  });

  it("read each daily series through an index over the window only", async () => {
    const captured: { sql: string; params: unknown[] }[] = [];
    const recorder = {
      prepare(sql: string) {
        const entry = { sql, params: [] as unknown[] };
        captured.push(entry);
        const statement = { bind: (...params: unknown[]) => ((entry.params = params), statement) };
        return statement;
      },
    } as unknown as D1Database;
    for (const f of dashboardFigures) f.statements(recorder, w);
    const daily = captured.filter((s) => s.sql.includes("GROUP BY 1"));
    expect(daily).toHaveLength(5);
    for (const s of daily) {
      const { results } = await env.DB.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).bind(...s.params).all<{ detail: string }>();
      const plan = results.map((r) => r.detail);
      expect(plan.some((d) => /^SEARCH \w+ USING (COVERING )?INDEX \w+ \(.*[<>]/.test(d)), `${s.sql}\n${plan.join("\n")}`).toBe(true);
      expect(plan.filter((d) => d.startsWith("SCAN ")), s.sql).toEqual([]);
    }
  });
});

describe("the dashboard's days", () => {
  it("are the 30 Beijing calendar days ending today, turning over at midnight Beijing time (16:00 UTC)", () => {
    const before = dashboardWindow(Date.parse("2026-03-01T15:59:59.999Z"));
    const after = dashboardWindow(Date.parse("2026-03-01T16:00:00.000Z"));
    expect(before.today).toBe("2026-03-01");
    expect(after.today).toBe("2026-03-02");
    expect(before.days).toHaveLength(30);
    expect(before.days[0]).toBe("2026-01-31");
    expect(before.fromMs).toBe(Date.parse("2026-01-31T00:00:00+08:00"));
    expect(before.toMs).toBe(Date.parse("2026-03-02T00:00:00+08:00"));
  });
});
