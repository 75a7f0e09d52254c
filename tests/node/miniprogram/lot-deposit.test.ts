// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { installShop, login, startShopWorker } from "./support/shop-env";
import { buildMiniProgram, installWx, launchApp, renderPage, texts, until } from "./support/wx-env";

/** These steps cross the local worker, its Durable Object and a WebSocket: room for a machine under load. */
const SLOW_MACHINE_MS = 20_000;

type Worker = Awaited<ReturnType<typeof startShopWorker>>;

async function createLot(worker: Worker, endsInMs: number) {
  await login(worker, "mp-dep-admin");
  await worker.db.prepare(`UPDATE members SET roles = '["admin"]' WHERE openid = 'mp-dep-admin'`).run();
  const { token } = await login(worker, "mp-dep-admin");
  const now = Date.now();
  const res = await worker.fetch("/api/admin/lots", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      title: "周老师 山水小品",
      startPriceFen: 30_000,
      depositFen: 5_000,
      incrementLadder: [{ belowFen: null, stepFen: 1_000 }],
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + endsInMs).toISOString(),
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

describe("deposit and purchase in the mini-program", () => {
  let worker: Worker;
  beforeAll(async () => {
    [worker] = await Promise.all([startShopWorker(), buildMiniProgram()]);
  }, 90_000);
  afterAll(() => worker?.dispose());

  it("pays the deposit through WeChat Pay, bids, wins, then pays the hammer price from 我的竞拍", async () => {
    const lotId = await createLot(worker, 15_000);
    const wx = installWx(worker, { openid: "mp-dep-bidder" });
    const shop = installShop(worker);
    launchApp();
    const page = renderPage("pages/lot/index");
    page.instance.onLoad({ id: lotId });
    await until(() => texts(page, ".deposit-button").length === 1, "the deposit button", SLOW_MACHINE_MS);
    expect(texts(page, ".deposit-button")).toEqual(["缴纳保证金 ¥50.00"]);
    expect(texts(page, ".bid")).toEqual([]);

    page.querySelector(".deposit-button")!.dispatchEvent("tap");
    await until(() => texts(page, ".bid").length === 1, "the bid controls after the deposit", SLOW_MACHINE_MS);
    expect(wx.toasts).toContain("保证金已缴纳");
    expect(shop.payments).toHaveLength(1);
    page.querySelector(".bid")!.dispatchEvent("tap");
    await until(() => texts(page, ".leading").length === 1, "the accepted bid", SLOW_MACHINE_MS);

    await until(() => texts(page, ".state")[0] === "已结束", "the lot's end", 40_000);
    page.instance.onUnload();

    const mine = renderPage("pages/my-lots/index");
    mine.instance.onLoad({ tab: "to_pay" });
    await until(() => texts(mine, ".pay").length === 1, "the sale to pay", 10_000);
    expect(texts(mine, ".pay")).toEqual(["去支付 ¥300.00"]);
    mine.querySelector(".pay")!.dispatchEvent("tap");
    await until(() => texts(mine, ".row .status")[0] === "已付款，待发货", "the paid sale", 10_000);
    expect(shop.payments).toHaveLength(2);
    const sale = await worker.db.prepare("SELECT status FROM lot_sales WHERE lot_id = ?").bind(lotId).first<{ status: string }>();
    expect(sale?.status).toBe("paid");
  }, 90_000);
});
