import { messageOf } from "../../lib/problems";
import { mySharesView } from "../../lib/round-view";
import { api, session } from "../../lib/services";
import { reloadable } from "../../lib/paged-list";

type Status = "loading" | "ready" | "error";

/** 我的股份: shares per round, part of all issued shares, subscriptions in progress and dividend history. */
Page({
  ...reloadable,
  data: { status: "loading" as Status, message: "", shares: null as ReturnType<typeof mySharesView> | null, empty: false },

  onLoad() {
    void this.load();
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      await session.ensureLogin();
      const shares = mySharesView(await api.get("/api/me/shares"));
      this.setData({ status: "ready", shares, empty: shares.holdings.length === 0 && shares.subscriptions.length === 0 });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  openRound(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    void wx.navigateTo({ url: `/pages/round/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}` });
  },
});
