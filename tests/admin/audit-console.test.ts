import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { uuidv7 } from "../../worker/audit/log";
import { fetchWorker, loginSession, seedAdmin } from "./support";

async function page(cookie: string, path: string) {
  const res = await fetchWorker(path, { headers: { cookie } });
  return { status: res.status, html: await res.text() };
}

function actionsOf(html: string) {
  return [...html.matchAll(/<tr data-action="([^"]+)"/g)].map((m) => m[1]);
}

async function record(at: string, action: string, targetType: string, targetId: string, before: unknown, after: unknown) {
  const ms = Date.parse(at);
  await env.DB.prepare(
    "INSERT INTO audit_log (id, actor_id, actor_kind, action, target_type, target_id, before, after, request_id, created_at) VALUES (?, 'adm_ops', 'admin', ?, ?, ?, ?, ?, NULL, ?)",
  )
    .bind(uuidv7(ms), action, targetType, targetId, before === null ? null : JSON.stringify(before), JSON.stringify(after), ms)
    .run();
}

describe("the audit log in the console reads as an operator speaks", () => {
  let cookie: string;
  beforeAll(async () => {
    await seedAdmin("ops");
    // Instants in UTC; the console speaks Beijing time (UTC+8).
    await record("2026-03-08T03:00:00Z", "admin.locked_out", "admin_user", "adm_ops", null, { lockedUntil: "2026-03-08T03:15:00.000Z" });
    await record("2026-03-09T16:30:00Z", "withdrawal.approved", "withdrawal", "wd_1", { status: "pending" }, { status: "approved", amountFen: 123456, netFen: 122222 });
    await record("2026-03-10T15:59:59Z", "order.refund_requested", "order", "ord_1", { status: "paid", refundedFen: 0 }, { amountFen: 9900, reason: "不想学了" });
    await record("2026-03-10T16:00:00Z", "member.blocked", "member", "mem_1", { blocked: false }, { blocked: true, reason: "刷单" });
    cookie = (await loginSession("ops")).cookie;
  });

  it("names actions and objects in Chinese, shows money in ¥ and times in Beijing time, in the before/after views too", async () => {
    const { html } = await page(cookie, "/admin/audit");
    expect(html).toContain("批准提现");
    expect(html).toContain("申请退款");
    expect(html).toContain("封禁会员");
    expect(html).toMatch(/>提现<\/span>/);
    expect(html).toMatch(/>订单<\/span>/);
    // Row time: 16:30 UTC on the 9th is half past midnight on the 10th in Beijing.
    expect(html).toContain("2026-03-10 00:30:00");
    expect(html).toContain("¥1,234.56");
    expect(html).toContain("¥1,222.22");
    expect(html).toContain("¥99.00");
    expect(html).not.toContain("123456");
    // A time inside the after view: locked until 03:15 UTC = 11:15 Beijing.
    expect(html).toContain("2026-03-08 11:15:00");
    expect(html).not.toContain("2026-03-08T03:15:00.000Z");
    expect(html).toContain("金额");
  });

  it("filters by Beijing calendar days, both ends included", async () => {
    const { html } = await page(cookie, "/admin/audit?from=2026-03-10&to=2026-03-10");
    expect(actionsOf(html)).toEqual(["order.refund_requested", "withdrawal.approved"]);
    expect(actionsOf((await page(cookie, "/admin/audit?from=2026-03-11")).html)).not.toContain("order.refund_requested");
    expect(actionsOf((await page(cookie, "/admin/audit?to=2026-03-09")).html)).toEqual(["admin.locked_out"]);
    // The filter stays in the form.
    expect(html).toContain('name="from" value="2026-03-10"');
  });

  it("offers the known actions in a picker and filters by the one chosen", async () => {
    const all = await page(cookie, "/admin/audit");
    expect(all.html).toMatch(/<select name="action">/);
    expect(all.html).toMatch(/<option value="withdrawal.approved"[^>]*>批准提现<\/option>/);
    const chosen = await page(cookie, "/admin/audit?action=withdrawal.approved");
    expect(actionsOf(chosen.html)).toEqual(["withdrawal.approved"]);
    expect(chosen.html).toMatch(/<option value="withdrawal.approved" selected="">批准提现<\/option>/);
  });

  it("refuses a malformed date or a reversed range with the console's error page, as every list does", async () => {
    for (const query of ["from=yesterday", "to=2026-13-45", "from=2026-03-10&to=2026-03-09", "cursor=not-a-cursor"]) {
      const res = await page(cookie, `/admin/audit?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.html).toContain('data-testid="error-page"');
      expect(actionsOf(res.html)).toEqual([]);
    }
    // A blank field (an empty date input) is no bound.
    const blank = await page(cookie, "/admin/audit?action=&from=&to=");
    expect(blank.status).toBe(200);
    expect(actionsOf(blank.html)).toContain("admin.locked_out");
  });
});
