import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, parsed } from "../support/api";
import { paidOrder, seedCourse } from "../orders/support";
import { chain, checkLedgerAfterEach, settleAfter } from "../commissions/support";
import { fetchWorker, loginSession, seedAdmin, seedMember } from "./support";

// The console's lists: filters a person can use (tier, Beijing days), a member's orders, courses and earnings,
// and CSV exports that open in Excel and cannot run formulas.
checkLedgerAfterEach();

type Session = Awaited<ReturnType<typeof loginSession>>;
const get = async (s: Session, path: string) => {
  const res = await fetchWorker(path, { headers: { cookie: s.cookie } });
  return { status: res.status, type: res.headers.get("content-type") ?? "", disposition: res.headers.get("content-disposition") ?? "", bytes: new Uint8Array(await res.clone().arrayBuffer()), text: await res.text() };
};
const ids = (html: string, attr: string) => [...html.matchAll(new RegExp(`${attr}="([^"]+)"`, "g"))].map((m) => m[1]);
/** Epoch ms of a Beijing wall time. */
const beijing = (text: string) => Date.parse(`${text}+08:00`);
const setCreated = (table: string, id: string, ms: number) => env.DB.prepare(`UPDATE ${table} SET created_at = ? WHERE id = ?`).bind(ms, id).run();
const csvRows = (text: string) => text.replace(/^\uFEFF/, "").trimEnd().split("\r\n");

async function admin(name: string) {
  await seedAdmin(name);
  return loginSession(name);
}

describe("the console's lists", () => {
  it("filter members by tier and by the Beijing day they joined, and keep the filters when paging", async () => {
    const s = await admin("lina");
    const promoters: string[] = [];
    for (let i = 0; i < 22; i++) promoters.push(await seedMember({ nickname: `筛选推广${i}`, tier: "promoter" }));
    const plain = await seedMember({ nickname: "筛选会员", tier: "member" });
    // 23:30 on 1 March in Beijing is still 1 March, though it is 15:30 UTC.
    const early = await seedMember({ nickname: "筛选早鸟", tier: "promoter" });
    await setCreated("members", early, beijing("2026-03-01T23:30:00"));
    const late = await seedMember({ nickname: "筛选晚到", tier: "promoter" });
    await setCreated("members", late, beijing("2026-03-02T00:10:00"));

    const tierPage = await get(s, `/admin/members?q=${encodeURIComponent("筛选")}&tier=promoter`);
    expect(tierPage.text).toContain('<option value="promoter" selected="">推广员</option>');
    expect(ids(tierPage.text, "data-member-id")).not.toContain(plain);
    expect(ids(tierPage.text, "data-member-id")).toHaveLength(20);
    const next = tierPage.text.match(/href="([^"]+)" rel="next"/)![1].replace(/&amp;/g, "&");
    expect(next).toContain("tier=promoter");
    const second = await get(s, next);
    expect(new Set([...ids(tierPage.text, "data-member-id"), ...ids(second.text, "data-member-id")])).toEqual(new Set([...promoters, early, late]));

    const day = await get(s, "/admin/members?from=2026-03-01&to=2026-03-01");
    expect(ids(day.text, "data-member-id")).toEqual([early]);
    expect(ids((await get(s, "/admin/members?from=2026-03-02&to=2026-03-02&tier=promoter")).text, "data-member-id")).toEqual([late]);
    expect(ids((await get(s, "/admin/members?from=2026-03-01&to=2026-03-02&tier=member")).text, "data-member-id")).toEqual([]);
    // A blank form field is "no bound".
    expect(ids((await get(s, "/admin/members?q=&tier=&from=&to=2026-03-01")).text, "data-member-id")).toEqual([early]);
  });

  it("answer a bad filter with the styled 400 page, never a 500", async () => {
    const s = await admin("bao");
    for (const path of [
      "/admin/members?tier=emperor", "/admin/members?from=2026-02-30", "/admin/members?from=2026-03-02&to=2026-03-01", "/admin/members?cursor=forged",
      "/admin/orders?status=lost", "/admin/orders?to=yesterday", "/admin/orders?cursor=forged",
      "/admin/commissions/records?status=gone", "/admin/commissions/records?from=20260301",
      "/admin/members/export.csv?tier=x", "/admin/orders/export.csv?from=2026-13-01", "/admin/commissions/records/export.csv?to=2026-01-01&from=2026-02-01",
      "/admin/payouts/export.csv?from=2026-01-01",
    ]) {
      const res = await get(s, path);
      expect(res.status, path).toBe(400);
      expect(res.text, path).toContain('data-testid="error-page"');
      expect(res.text, path).toContain("筛选条件有误");
      expect(res.text, path).toContain('href="/admin/members"'); // the menu stays
    }
  });

  it("export members as CSV: a BOM, the current filters, formula-like nicknames escaped, Beijing time", async () => {
    const s = await admin("cai");
    const evil = await seedMember({ nickname: '=HYPERLINK("http://evil","点我")', tier: "channel_partner" });
    await setCreated("members", evil, beijing("2026-04-05T08:00:00"));
    const other = await seedMember({ nickname: "+1 普通", tier: "member" });
    await setCreated("members", other, beijing("2026-04-05T09:00:00"));

    const csv = await get(s, "/admin/members/export.csv?tier=channel_partner&from=2026-04-05&to=2026-04-05");
    expect(csv.status).toBe(200);
    expect(csv.type).toContain("text/csv");
    expect(csv.disposition).toContain("attachment");
    expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(csv.text);
    expect(rows[0]).toContain('"会员ID","昵称","等级"');
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"${evil}","'=HYPERLINK(""http://evil"",""点我"")","渠道合伙人"`);
    expect(rows[1]).toContain('"2026-04-05 08:00:00"');

    const all = csvRows((await get(s, "/admin/members/export.csv?from=2026-04-05&to=2026-04-05")).text);
    expect(all).toHaveLength(3);
    expect(all.find((r) => r.includes(other))).toContain(`"'+1 普通"`);
  });

  it("filter and export orders by the day they were created, amounts in yuan", async () => {
    const s = await admin("dai");
    const [buyer] = await chain([["ol-buyer", "member"]]);
    await env.DB.prepare("UPDATE members SET nickname = '@SUM(A1)' WHERE id = 'ol-buyer'").run();
    await seedCourse("c-ol1", 12345);
    await seedCourse("c-ol2", 500);
    const { orderId: march } = await paidOrder(buyer, "c-ol1");
    const { orderId: april } = await paidOrder(buyer, "c-ol2");
    await setCreated("orders", march, beijing("2026-03-31T23:59:59"));
    await setCreated("orders", april, beijing("2026-04-01T00:00:00"));

    const list = await get(s, "/admin/orders?q=ol-buyer&from=2026-04-01&to=2026-04-30");
    expect(ids(list.text, "data-order-id")).toEqual([april]);
    expect(list.text).toContain('value="2026-04-01"');
    expect(list.text).toContain('href="/admin/orders/export.csv?q=ol-buyer&amp;from=2026-04-01&amp;to=2026-04-30"');

    const csv = await get(s, "/admin/orders/export.csv?q=ol-buyer&to=2026-03-31");
    expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(csv.text);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"${march}","ol-buyer","'@SUM(A1)"`);
    expect(rows[1]).toContain('"123.45","0.00","已支付"');
    expect(rows[1]).toContain('"2026-03-31 23:59:59"');
  });

  it("list and export commissions by accrual day; a member's page shows their orders, courses and the partner API's earnings", async () => {
    const s = await admin("eli");
    const [buyer, l1, l2] = await chain([["cl-buyer", "member"], ["cl-l1", "promoter"], ["cl-l2", "channel_partner"]]);
    await seedCourse("c-cl1", 10000);
    await seedCourse("c-cl2", 2000);
    const first = await paidOrder(buyer, "c-cl1");
    await settleAfter(8);
    const second = await paidOrder(buyer, "c-cl2");
    await env.DB.prepare("UPDATE commissions SET created_at = ? WHERE order_id = ?").bind(beijing("2026-05-10T12:00:00"), first.orderId).run();

    // 概览 links to the commissions of its days as /admin/commissions?from=&to=: that is the records list.
    const linked = await fetchWorker("/admin/commissions?from=2026-05-10&to=2026-05-10", { headers: { cookie: s.cookie } });
    expect([linked.status, linked.headers.get("location")]).toEqual([303, "/admin/commissions/records?from=2026-05-10&to=2026-05-10"]);
    const records = await get(s, "/admin/commissions/records?from=2026-05-10&to=2026-05-10");
    expect(records.status).toBe(200);
    expect(ids(records.text, "data-commission-id").sort()).toEqual([`commission:${first.orderId}:1`, `commission:${first.orderId}:2`]);
    const byEarner = await get(s, "/admin/commissions/records?earner=cl-l1");
    expect(ids(byEarner.text, "data-commission-id").sort()).toEqual([`commission:${first.orderId}:1`, `commission:${second.orderId}:1`].sort());

    const csv = await get(s, "/admin/commissions/records/export.csv?earner=cl-l1&status=available");
    expect([...csv.bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = csvRows(csv.text);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(`"commission:${first.orderId}:1","${first.orderId}"`);
    expect(rows[1]).toContain('"100.00","10.00"');
    expect(rows[1]).toContain('"2026-05-10 12:00:00"');

    for (const [id, token] of [["cl-l1", l1], ["cl-l2", l2]] as const) {
      const api = (await parsed(call("/api/partner/earnings", { token }))).body;
      const html = (await get(s, `/admin/members/${id}`)).text;
      const figure = (key: string) => html.match(new RegExp(`data-figure="${key}"><b>([^<]+)</b>`))![1];
      const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;
      expect([figure("frozen"), figure("available"), figure("withdrawn"), figure("debt")]).toEqual([api.frozenFen, api.availableFen, api.withdrawnFen, api.debtFen].map(yuan));
      expect(figure("available")).not.toBe("¥0.00");
    }

    const buyerPage = (await get(s, "/admin/members/cl-buyer")).text;
    expect(ids(buyerPage, "data-order-id")).toEqual([second.orderId, first.orderId]);
    expect(buyerPage).toContain(`href="/admin/orders/${first.orderId}"`);
    expect(ids(buyerPage, "data-course-id").sort()).toEqual(["c-cl1", "c-cl2"]);
    expect(buyerPage).toContain('data-figure="dividends"');
  });

  it("page a member's orders ten at a time", async () => {
    const s = await admin("fan");
    const [buyer] = await chain([["po-buyer", "member"]]);
    const orders: string[] = [];
    for (let i = 0; i < 12; i++) {
      await seedCourse(`c-po${i}`, 100);
      orders.push((await parsed(call("/api/orders", { token: buyer, method: "POST", json: { courseId: `c-po${i}` } }))).body.order.id);
    }
    const first = (await get(s, "/admin/members/po-buyer")).text;
    expect(ids(first, "data-order-id")).toHaveLength(10);
    const next = first.match(/href="([^"]+)" rel="next"/)![1].replace(/&amp;/g, "&");
    const second = (await get(s, next)).text;
    expect(new Set([...ids(first, "data-order-id"), ...ids(second, "data-order-id")])).toEqual(new Set(orders));
    expect((await get(s, "/admin/members/po-buyer?orders=forged")).status).toBe(400);
  });
});
