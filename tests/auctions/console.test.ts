import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditRows, fetchWorker, loginSession, ORIGIN, seedAdmin } from "../admin/support";
import { beijingLocalToIso } from "../../worker/calendar/beijing";
import { parseLadder } from "../../worker/auctions/console/routes";
import { bid, createLot, endLot, lotObject, memberWithToken } from "./support";

type Session = Awaited<ReturnType<typeof loginSession>>;
const page = async (s: Session, path: string) => (await fetchWorker(path, { headers: { cookie: s.cookie } })).text();
const post = (s: Session, path: string, fields: Record<string, string>) =>
  fetchWorker(path, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN, cookie: s.cookie }, body: new URLSearchParams({ ...fields, _csrf: s.csrf }) });
const beijing = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 16);

const lotForm = (o: Record<string, string> = {}) => ({
  title: "张老师 篆书对联", instructor: "张老师", description: "", startPrice: "500", reservePrice: "800", deposit: "100",
  ladder: "1000:10, 5000:50, :100", startsAt: beijing(Date.now() - 60_000), endsAt: beijing(Date.now() + 3_600_000),
  windowSec: "60", extendSec: "60", maxExtensions: "5", paymentDeadlineHours: "72", ...o,
});

describe("auctions in the console", () => {
  it("reads ladders and Beijing times the way operators type them", () => {
    expect(parseLadder("1000:10, 5000:50, :100")).toEqual([{ belowFen: 100_000, stepFen: 1_000 }, { belowFen: 500_000, stepFen: 5_000 }, { belowFen: null, stepFen: 10_000 }]);
    expect(parseLadder("1000:x")).toBeNull();
    expect(beijingLocalToIso("2026-12-01T20:00")).toBe("2026-12-01T12:00:00.000Z");
    expect(beijingLocalToIso("tomorrow")).toBeNull();
  });

  it("creates a lot from the form in yuan, audited, and refuses a bad form writing nothing", async () => {
    await seedAdmin("lena");
    const s = await loginSession("lena");
    const bad = await post(s, "/admin/lots", lotForm({ startPrice: "5.555", ladder: "abc" }));
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain("请输入以元为单位的金额");
    expect(html).toContain("格式如 1000:10");
    expect(await auditRows("lot.create")).toHaveLength(0);

    const res = await post(s, "/admin/lots", lotForm());
    expect(res.status).toBe(303);
    const lotId = decodeURIComponent(res.headers.get("location")!.match(/\/admin\/lots\/([^?]+)/)![1]);
    const row = await env.DB.prepare("SELECT start_price_fen, reserve_price_fen, deposit_fen, anti_snipe_max_extensions FROM lots WHERE id = ?").bind(lotId).first();
    expect(row).toEqual({ start_price_fen: 50_000, reserve_price_fen: 80_000, deposit_fen: 10_000, anti_snipe_max_extensions: 5 });
    expect(await auditRows("lot.create")).toMatchObject([{ target_id: lotId, actor_id: "adm_lena" }]);
    expect(await page(s, "/admin/lots")).toContain(`data-lot-id="${lotId}"`);
  });

  it("shows a lot's bid history, its result, and records the shipment of a paid sale", async () => {
    await seedAdmin("mia");
    const s = await loginSession("mia");
    const lot = await createLot();
    const [a, b] = [await memberWithToken(), await memberWithToken()];
    await bid(lot.id, a.token, { amountFen: 50_000 });
    await bid(lot.id, b.token, { amountFen: 60_000 });
    await lotObject(lot.id).flush();
    const detail = await page(s, `/admin/lots/${lot.id}`);
    expect(detail).toContain("¥600.00");
    expect([...detail.matchAll(/data-bid-seq="(\d+)"/g)].map((m) => m[1])).toEqual(["2", "1"]);

    await endLot(lot.id);
    expect(await page(s, "/admin/lots/sales/results")).toContain(`data-lot-id="${lot.id}"`);
    expect(await page(s, "/admin/lots/sales/shipments")).not.toContain(`data-lot-id="${lot.id}"`);
    // Payment lands with the auction_purchase order kind; until then the sale is marked paid here.
    await env.DB.prepare(`UPDATE lot_sales SET status = 'paid', shipping_address = '{"userName":"张三","detailInfo":"某路 1 号"}' WHERE lot_id = ?`).bind(lot.id).run();
    expect((await post(s, `/admin/lots/${lot.id}/shipment`, { carrier: "顺丰", trackingNo: "!" })).status).toBe(422);
    expect((await post(s, `/admin/lots/${lot.id}/shipment`, { carrier: "顺丰", trackingNo: "SF1234567890" })).status).toBe(303);
    const sale = await env.DB.prepare("SELECT status, carrier, tracking_no FROM lot_sales WHERE lot_id = ?").bind(lot.id).first();
    expect(sale).toEqual({ status: "shipped", carrier: "顺丰", tracking_no: "SF1234567890" });
    expect(await auditRows("lot.shipment")).toHaveLength(1);
  });
});
