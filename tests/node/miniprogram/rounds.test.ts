// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { clampShares, soldPercent, timeLeftLabel } from "../../../mini-program/miniprogram/lib/round-view";
import { installShop, startShopWorker } from "./support/shop-env";
import { buildMiniProgram, installWx, launchApp, renderPage, stateText, texts, until } from "./support/wx-env";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

describe("round views", () => {
  it("formats time left, progress and the share stepper", () => {
    const now = Date.parse("2026-12-01T00:00:00Z");
    expect(timeLeftLabel("2026-12-03T03:30:00Z", now)).toBe("剩 2 天 3 小时");
    expect(timeLeftLabel("2026-12-01T01:05:00Z", now)).toBe("剩 1 小时 5 分钟");
    expect(timeLeftLabel("2026-12-01T00:00:20Z", now)).toBe("剩 1 分钟");
    expect(timeLeftLabel("2026-11-30T00:00:00Z", now)).toBe("已截止");
    expect([soldPercent(0, 200), soldPercent(199, 200), soldPercent(200, 200), soldPercent(1, 0)]).toEqual([0, 99, 100, 0]);
    expect([clampShares(0, 1, 20), clampShares(21, 1, 20), clampShares(Number.NaN, 2, 20)]).toEqual([1, 20, 2]);
  });
});

describe("crowdfunding in the mini-program against the real worker", () => {
  let worker: Worker;
  beforeAll(async () => {
    [worker] = await Promise.all([startShopWorker(), buildMiniProgram()]);
    const t = Date.now();
    await worker.db
      .prepare(
        `INSERT INTO rounds (id, title, description, risk_disclosure, disclosure_version, share_price_fen, total_shares, min_shares, max_shares, target_shares,
           eligible_tiers, tier_on_success, opens_at, closes_at, state, sold_shares, created_at, updated_at)
         VALUES ('rnd-mp', '渠道合伙人众筹', '定向认购', '投资有风险，认购需谨慎。', 2, 100000, 200, 1, 20, 100, '["channel_partner"]', 'shareholder', ?, ?, 'open', 50, ?, ?)`,
      )
      .bind(t - 3600_000, t + 3 * 86_400_000, t, t)
      .run();
  }, 60_000);
  afterAll(() => worker?.dispose());

  async function member(openid: string, tier: string) {
    const res = await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}` }) });
    const { member: m } = (await res.json()) as { member: { id: string } };
    await worker.db.prepare("UPDATE members SET tier = ? WHERE id = ?").bind(tier, m.id).run();
  }

  it("an eligible partner finds the round in 我的, reads the disclosure, subscribes and pays on iOS, and sees it in 我的股份", async () => {
    await member("mp-partner", "channel_partner");
    const wx = installWx(worker, { openid: "mp-partner" });
    // Shares are not virtual goods: an iPhone pays for them like any phone.
    const shop = installShop(worker, { platform: "ios" });
    launchApp();
    const me = renderPage("pages/me/index");
    me.instance.onLoad({});
    await until(() => me.querySelector(".rounds") !== undefined && me.querySelector(".rounds") !== null, "the 合伙人众筹 entry");
    expect(me.querySelector(".my-shares")).toBeFalsy();

    const list = renderPage("pages/rounds/index");
    list.instance.onLoad({});
    await until(() => list.querySelectorAll(".round").length === 1, "the round list");
    expect(texts(list, ".round .title")).toEqual(["渠道合伙人众筹"]);
    expect(texts(list, ".round .progress-label")).toEqual(["已认购 50 / 200 份 · 目标 100 份"]);
    list.querySelectorAll(".round")[0].dispatchEvent("tap");
    await until(() => wx.navigations.length === 1, "navigation");
    expect(wx.navigations[0]).toBe("/pages/round/index?id=rnd-mp");

    const detail = renderPage("pages/round/index");
    detail.instance.onLoad({ id: "rnd-mp" });
    await until(() => detail.querySelector(".disclosure") !== undefined && detail.querySelector(".disclosure") !== null, "the round");
    expect(texts(detail, ".disclosure")).toEqual(["投资有风险，认购需谨慎。"]);
    // No share menu on any crowdfunding page: a round must never be passed on (no open solicitation).
    for (const p of [list, detail]) expect(p.instance.onShareAppMessage).toBeUndefined();
    expect(texts(detail, ".section-title")).toContain("风险揭示书（第 2 版）");

    // Without the acknowledgement nothing is sent.
    await detail.instance.onSubscribe();
    expect(wx.toasts).toContain("请先阅读并确认风险揭示书");
    expect(wx.requests.some((r) => r.method === "POST" && r.path.includes("/subscriptions"))).toBe(false);

    detail.instance.onPlus();
    detail.instance.onPlus();
    detail.instance.onAcknowledge({ detail: { value: ["yes"] } });
    await detail.instance.onSubscribe();
    await until(() => texts(detail, ".mine-status")[0] === "已支付", "my paid subscription");
    expect(shop.payments).toHaveLength(1);
    expect(wx.toasts).toContain("认购成功");
    expect(texts(detail, ".mine-shares")).toEqual(["3 份 · ¥3,000.00"]);
    const row = await worker.db.prepare("SELECT shares, disclosure_version, status FROM share_subscriptions WHERE round_id = 'rnd-mp'").first();
    expect(row).toEqual({ shares: 3, disclosure_version: 2, status: "paid" });

    const shares = renderPage("pages/my-shares/index");
    shares.instance.onLoad({});
    await until(() => texts(shares, ".subscription").length === 1, "我的股份");
    expect(texts(shares, ".total-shares")).toEqual(["0"]);
    expect(texts(shares, ".subscription .title")).toEqual(["渠道合伙人众筹 · 3 份 · ¥3,000.00"]);
    expect(texts(shares, ".subscription .status")).toEqual(["已支付"]);
  });

  it("a cancelled payment keeps the reservation, paid later with 去支付", async () => {
    await member("mp-cancel", "channel_partner");
    const wx = installWx(worker, { openid: "mp-cancel" });
    const shop = installShop(worker);
    shop.cashier = "cancel";
    launchApp();
    const detail = renderPage("pages/round/index");
    detail.instance.onLoad({ id: "rnd-mp" });
    await until(() => detail.querySelector(".ack") !== undefined && detail.querySelector(".ack") !== null, "the round");
    detail.instance.onAcknowledge({ detail: { value: ["yes"] } });
    await detail.instance.onSubscribe();
    await until(() => texts(detail, ".mine-status")[0] === "待支付", "the reservation");
    expect(wx.toasts).toContain("已取消支付，份额保留至支付截止");
    shop.cashier = "pay";
    await detail.instance.onPayAgain();
    await until(() => texts(detail, ".mine-status")[0] === "已支付", "paid with 去支付");
    expect(shop.payments.map((p) => p.orderId)).toEqual([shop.payments[0].orderId, shop.payments[0].orderId]);
  });

  it("a member of another tier sees no entry, and the round itself is 内容不存在", async () => {
    await member("mp-plain", "member");
    installWx(worker, { openid: "mp-plain" });
    launchApp();
    const me = renderPage("pages/me/index");
    me.instance.onLoad({});
    await until(() => texts(me, ".nickname").length === 1, "我的");
    expect(me.querySelector(".rounds")).toBeFalsy();
    const detail = renderPage("pages/round/index");
    detail.instance.onLoad({ id: "rnd-mp" });
    await until(() => stateText(detail).includes("重试"), "the refused round");
    expect(stateText(detail)).toContain("内容不存在");
    const list = renderPage("pages/rounds/index");
    list.instance.onLoad({});
    await until(() => stateText(list).includes("暂无"), "the empty list");
  });
});
