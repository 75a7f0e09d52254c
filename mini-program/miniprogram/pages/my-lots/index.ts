import { MY_LOT_TABS, myLotView, type MyLotTab } from "../../lib/my-lot-view";
import { messageOf } from "../../lib/problems";
import { api } from "../../lib/services";
import { newIdempotencyKey } from "../../lib/idempotency";
import { requestPayment } from "../../lib/wx-shop";

type Status = "loading" | "ready" | "empty" | "error";
type Row = ReturnType<typeof myLotView>;

/** 我的竞拍: lots I bid on, won, to pay, shipped; the winner gives the shipping address with wx.chooseAddress. */
Page({
  data: { status: "loading" as Status, message: "", tabs: MY_LOT_TABS, tab: "bidding" as MyLotTab, items: [] as Row[] },

  onLoad(query: Record<string, string | undefined>) {
    const tab = MY_LOT_TABS.find((t) => t.key === query.tab)?.key;
    if (tab) this.setData({ tab });
    void this.load();
  },

  onRetry() {
    void this.load();
  },

  onTabTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { tab: MyLotTab }>) {
    this.setData({ tab: e.currentTarget.dataset.tab });
    void this.load();
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      const page = await api.get("/api/me/lots", { query: { tab: this.data.tab, limit: 50 } });
      const items = page.items.map(myLotView);
      this.setData({ status: items.length ? "ready" : "empty", items });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  openLot(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    void wx.navigateTo({ url: `/pages/lot/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}` });
  },

  /** 去支付: the winner's purchase order at the hammer price, then WeChat's cashier; the list follows the notification. */
  async pay(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    const lotId = e.currentTarget.dataset.id;
    try {
      const placed = await api.post("/api/lots/{id}/purchase", { path: { id: lotId }, idempotent: newIdempotencyKey() });
      const outcome = await requestPayment(placed.payParams);
      if (!outcome.ok) {
        void wx.showToast({ title: outcome.cancelled ? "已取消支付" : "支付未完成，请重试", icon: "none" });
        return;
      }
      void wx.showToast({ title: "支付成功", icon: "success" });
      this.setData({ tab: "won" });
      await this.load();
    } catch (err) {
      void wx.showToast({ title: messageOf(err), icon: "none" });
    }
  },

  /** 填写收货地址: WeChat's address picker, then the worker keeps it for the shipment. */
  chooseAddress(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    const lotId = e.currentTarget.dataset.id;
    wx.chooseAddress({
      success: (a) => {
        const body = { userName: a.userName, telNumber: a.telNumber, provinceName: a.provinceName, cityName: a.cityName, countyName: a.countyName, detailInfo: a.detailInfo, postalCode: a.postalCode };
        api
          .put("/api/lots/{id}/shipping-address", { path: { id: lotId }, body })
          .then(() => {
            void wx.showToast({ title: "收货地址已保存", icon: "success" });
            void this.load();
          })
          .catch((err: unknown) => void wx.showToast({ title: messageOf(err), icon: "none" }));
      },
      fail: () => undefined,
    });
  },
});
