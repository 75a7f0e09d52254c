import { API_BASE_URL } from "../../config";
import { messageOf } from "../../lib/problems";
import { chartBars, commissionItemView, earningsView, teamItemView } from "../../lib/partner";
import { api, session } from "../../lib/services";
import { shareMessage, shareTimeline } from "../../lib/share";
import { reloadable } from "../../lib/paged-list";

type Status = "loading" | "ready" | "error";
type Tab = "records" | "team1" | "team2";

/** 推广中心: balances, the 30-day chart, commission records, 我的团队 (two levels), the invite poster and sharing. */
Page({
  ...reloadable,
  data: {
    status: "loading" as Status,
    message: "",
    earnings: null as ReturnType<typeof earningsView> | null,
    chart: null as ReturnType<typeof chartBars> | null,
    tab: "records" as Tab,
    records: [] as ReturnType<typeof commissionItemView>[],
    recordsCursor: null as string | null,
    team: [] as ReturnType<typeof teamItemView>[],
    teamCursor: null as string | null,
    posterPath: "",
  },

  onLoad() {
    void this.load();
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      await session.ensureLogin();
      const [earnings, daily, records] = await Promise.all([
        api.get("/api/partner/earnings"),
        api.get("/api/partner/earnings/daily", { query: { days: 30 } }),
        api.get("/api/partner/commissions", { query: { limit: 20 } }),
      ]);
      this.setData({
        status: "ready", earnings: earningsView(earnings), chart: chartBars(daily.days),
        records: records.items.map(commissionItemView), recordsCursor: records.nextCursor, tab: "records",
      });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  async onReachBottom() {
    try {
      if (this.data.tab === "records" && this.data.recordsCursor) {
        const page = await api.get("/api/partner/commissions", { query: { limit: 20, cursor: this.data.recordsCursor } });
        this.setData({ records: [...this.data.records, ...page.items.map(commissionItemView)], recordsCursor: page.nextCursor });
      } else if (this.data.tab !== "records" && this.data.teamCursor) {
        const page = await api.get("/api/partner/team", { query: { level: this.data.tab === "team2" ? "2" : "1", limit: 20, cursor: this.data.teamCursor } });
        this.setData({ team: [...this.data.team, ...page.items.map(teamItemView)], teamCursor: page.nextCursor });
      }
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: "none" });
    }
  },

  async switchTab(e: { currentTarget: { dataset: { tab: Tab } } }) {
    const tab = e.currentTarget.dataset.tab;
    this.setData({ tab });
    if (tab === "records") return;
    try {
      const page = await api.get("/api/partner/team", { query: { level: tab === "team2" ? "2" : "1", limit: 20 } });
      this.setData({ team: page.items.map(teamItemView), teamCursor: page.nextCursor });
    } catch (err) {
      void wx.showToast({ title: messageOf(err), icon: "none" });
    }
  },

  /** The poster is the member's own PNG: downloaded with the token, shown, then saved to the album on request. */
  showPoster() {
    wx.downloadFile({
      url: `${API_BASE_URL}/api/partner/poster`,
      header: { Authorization: `Bearer ${session.token() ?? ""}` },
      success: (res) => {
        if (res.statusCode === 200) this.setData({ posterPath: res.tempFilePath });
        else void wx.showToast({ title: "海报生成失败，请稍后再试", icon: "none" });
      },
      fail: () => void wx.showToast({ title: "网络不可用，请稍后再试", icon: "none" }),
    });
  },

  savePoster() {
    if (!this.data.posterPath) return;
    wx.saveImageToPhotosAlbum({
      filePath: this.data.posterPath,
      success: () => void wx.showToast({ title: "已保存到相册" }),
      fail: () => void wx.showToast({ title: "未能保存，请允许访问相册", icon: "none" }),
    });
  },

  closePoster() {
    this.setData({ posterPath: "" });
  },

  onShareAppMessage() {
    return shareMessage("/pages/index/index", {}, session.cachedInvite()?.inviteCode, "邀请你加入知识社群");
  },

  onShareTimeline() {
    return shareTimeline({}, session.cachedInvite()?.inviteCode, "邀请你加入知识社群");
  },
});
