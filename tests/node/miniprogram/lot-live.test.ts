// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { buildMiniProgram, installWx, launchApp, renderPage, texts, until } from "./support/wx-env";

/** These steps cross the local worker, its Durable Object and a WebSocket: room for a machine under load. */
const SLOW_MACHINE_MS = 20_000;

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

async function login(worker: Worker, openid: string) {
  const res = await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}` }) });
  return (await res.json()) as { token: string; member: { id: string } };
}

async function createLot(worker: Worker, antiSniping = { windowSec: 0, extendSec: 0, maxExtensions: 0 }, endsInMs = 3_600_000) {
  await login(worker, "mp-auctioneer");
  await worker.db.prepare(`UPDATE members SET roles = '["admin"]' WHERE openid = 'mp-auctioneer'`).run();
  const { token } = await login(worker, "mp-auctioneer");
  const now = Date.now();
  const res = await worker.fetch("/api/admin/lots", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({
      title: "陈老师 小楷《心经》",
      instructor: "陈老师",
      startPriceFen: 50_000,
      incrementLadder: [{ belowFen: 100_000, stepFen: 1_000 }, { belowFen: null, stepFen: 5_000 }],
      startsAt: new Date(now - 1000).toISOString(),
      endsAt: new Date(now + endsInMs).toISOString(),
      antiSniping,
    }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

const bidAs = (worker: Worker, token: string, lotId: string, body: object) =>
  worker.fetch(`/api/lots/${lotId}/bids`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });

describe("a lot in the mini-program, live", () => {
  let worker: Worker;
  beforeAll(async () => {
    [worker] = await Promise.all([startLocalWorker(), buildMiniProgram()]);
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("shows every price another bidder reaches, live, and bids at the next valid amount or by proxy", async () => {
    const lotId = await createLot(worker);
    const rival = await login(worker, "mp-rival");
    const wx = installWx(worker, { openid: "mp-bidder" });
    launchApp();
    const page = renderPage("pages/lot/index");
    page.instance.onLoad({ id: lotId });
    await until(() => texts(page, ".price").length === 1, "the lot", SLOW_MACHINE_MS);
    expect(texts(page, ".caption")).toEqual(["起拍价"]);
    expect(texts(page, ".price")).toEqual(["¥500.00"]);
    expect(texts(page, ".bid")).toEqual(["出价 ¥500.00"]);
    await until(() => wx.sockets.length === 1 && wx.sockets[0].readyState === WebSocket.OPEN, "the live socket", SLOW_MACHINE_MS);

    // Someone else bids: the page follows over the socket, without asking the API.
    const requestsBefore = wx.requests.length;
    expect((await bidAs(worker, rival.token, lotId, { amountFen: 50_000 })).status).toBe(200);
    await until(() => texts(page, ".bids")[0] === "1 次出价", "the rival's bid pushed", SLOW_MACHINE_MS);
    expect(texts(page, ".price")).toEqual(["¥500.00"]);
    expect(texts(page, ".caption")).toEqual(["当前价"]);
    expect(texts(page, ".leader")).toEqual(["领先：1号竞拍者"]);
    expect(texts(page, ".bid")).toEqual(["出价 ¥510.00"]);
    expect(wx.requests.length).toBe(requestsBefore);

    // Tap 出价: the next valid amount, and the member leads.
    page.querySelector(".bid")!.dispatchEvent("tap");
    await until(() => texts(page, ".leading").length === 1, "the accepted bid", SLOW_MACHINE_MS);
    expect(texts(page, ".leading")).toEqual(["您当前领先"]);
    expect(texts(page, ".price")).toEqual(["¥510.00"]);
    expect(wx.toasts).toContain("出价成功");
    const bid = wx.requests.filter((r) => r.method === "POST" && r.path === `/api/lots/${lotId}/bids`);
    expect(bid.map((r) => r.status)).toEqual([200]);

    // The rival's proxy maximum beats ours: pushed live, we no longer lead.
    expect((await bidAs(worker, rival.token, lotId, { amountFen: 52_000, maxFen: 80_000 })).status).toBe(200);
    await until(() => texts(page, ".price")[0] === "¥520.00", "the rival's proxy bid pushed", SLOW_MACHINE_MS);
    expect(texts(page, ".leading")).toEqual([]);

    // A proxy bid of ours below their maximum is answered at once: outbid, with the new price shown.
    page.instance.setData({ proxyText: "700" });
    page.querySelector(".proxy-button")!.dispatchEvent("tap");
    await until(() => wx.toasts.includes("已被其他出价超过"), "the outbid answer", SLOW_MACHINE_MS);
    await until(() => texts(page, ".price")[0] === "¥710.00", "the price after the proxies met", SLOW_MACHINE_MS);
    expect(texts(page, ".leader")).toEqual(["领先：1号竞拍者"]);
    // Above it, ours leads one step above their maximum.
    page.instance.setData({ proxyText: "1,200" });
    page.querySelector(".proxy-button")!.dispatchEvent("tap");
    await until(() => texts(page, ".leading").length === 1, "our proxy leading", SLOW_MACHINE_MS);
    expect(texts(page, ".price")).toEqual(["¥810.00"]);
    expect(texts(page, ".leader")).toEqual(["领先：2号竞拍者"]);

    page.instance.onUnload();
    await until(() => wx.sockets[0].readyState === WebSocket.CLOSED, "the socket closed on leaving", SLOW_MACHINE_MS);
  });

  it("follows an anti-sniping extension in the countdown", async () => {
    const lotId = await createLot(worker, { windowSec: 3600, extendSec: 600, maxExtensions: 1 });
    const rival = await login(worker, "mp-rival-2");
    installWx(worker, { openid: "mp-watcher" });
    launchApp();
    const page = renderPage("pages/lot/index");
    page.instance.onLoad({ id: lotId });
    await until(() => texts(page, ".countdown").length === 1, "the lot", SLOW_MACHINE_MS);
    const before = page.instance.data.live.endsAt;
    expect(texts(page, ".countdown")[0]).toMatch(/^距结束 0[01]:\d\d:\d\d$/);
    await bidAs(worker, rival.token, lotId, { amountFen: 50_000 });
    await until(() => page.instance.data.live.endsAt !== before, "the extended end pushed", SLOW_MACHINE_MS);
    expect(Date.parse(page.instance.data.live.endsAt) - Date.parse(before)).toBe(600_000);
    page.instance.onUnload();
  });

  it("我的竞拍: the lot I won, to pay, takes my address from WeChat's address book", async () => {
    // Long enough to bid on a loaded machine, short enough to wait for the real alarm.
    const lotId = await createLot(worker, undefined, 6_000);
    const wx = installWx(worker, { openid: "mp-winner" });
    launchApp();
    const detail = renderPage("pages/lot/index");
    detail.instance.onLoad({ id: lotId });
    await until(() => texts(detail, ".bid").length === 1, "the lot", SLOW_MACHINE_MS);
    detail.querySelector(".bid")!.dispatchEvent("tap");
    await until(() => texts(detail, ".leading").length === 1, "the bid", SLOW_MACHINE_MS);
    // The lot's alarm ends it (the real Durable Object alarm, in Miniflare); the socket says so.
    await until(() => texts(detail, ".state")[0] === "已结束", "the end pushed", 30_000);
    detail.instance.onUnload();

    const page = renderPage("pages/my-lots/index");
    page.instance.onLoad({ tab: "to_pay" });
    await until(() => texts(page, ".row .title").length === 1, "the won lot", 15_000);
    expect(texts(page, ".row .price")).toEqual(["成交价 ¥500.00"]);
    expect(texts(page, ".row .status")).toEqual(["待付款"]);
    page.querySelector(".choose-address")!.dispatchEvent("tap");
    await until(() => texts(page, ".address").length === 1, "the saved address", SLOW_MACHINE_MS);
    expect(texts(page, ".address")).toEqual(["收货地址：张三 13800000000 浙江省杭州市西湖区文三路 1 号"]);
    expect(wx.requests.filter((r) => r.method === "PUT").map((r) => r.status)).toEqual([200]);
  }, 60_000);
});
