import { lotCardView, type LotCardView, type LotState } from "../../lib/lot-view";
import { messageOf } from "../../lib/problems";
import { api } from "../../lib/services";
import { reloadable } from "../../lib/paged-list";

type Status = "loading" | "ready" | "empty" | "error";
const TABS: { key: LotState; label: string }[] = [
  { key: "live", label: "竞拍中" },
  { key: "upcoming", label: "即将开拍" },
  { key: "ended", label: "已结束" },
];

/** 在线竞拍: lots by state (live, upcoming, ended), newest prices from the lots' mirror. */
Page({
  ...reloadable,
  data: { status: "loading" as Status, message: "", tabs: TABS, tab: "live" as LotState, items: [] as LotCardView[] },

  onLoad() {
    void this.load();
  },

  onTabTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { tab: LotState }>) {
    this.setData({ tab: e.currentTarget.dataset.tab });
    void this.load();
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      const page = await api.get("/api/lots", { query: { state: this.data.tab, limit: 50 }, anonymous: true });
      const items = page.items.map(lotCardView);
      this.setData({ status: items.length ? "ready" : "empty", items });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  openLot(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    void wx.navigateTo({ url: `/pages/lot/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}` });
  },
});
