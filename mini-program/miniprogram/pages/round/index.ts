import { newIdempotencyKey } from "../../lib/idempotency";
import { messageOf } from "../../lib/problems";
import { decodeQueryValue } from "../../lib/query";
import { clampShares, roundDetail, type RoundDetailView } from "../../lib/round-view";
import { api, session } from "../../lib/services";

type Status = "loading" | "ready" | "error";

/**
 * 众筹详情: progress, time left, rules and the risk disclosure. The member must tick the acknowledgement of the
 * disclosure's current version before subscribing; the version is sent with the subscription and recorded.
 * Shares are not virtual goods, so iOS may subscribe too.
 */
Page({
  data: {
    status: "loading" as Status,
    message: "",
    id: "",
    round: null as RoundDetailView | null,
    shares: 1,
    acknowledged: false,
    submitting: false,
    /** One key per subscription attempt, so a retried tap never reserves twice. */
    key: "",
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: decodeQueryValue(query.id) });
    void this.load();
  },

  onRetry() {
    void this.load();
  },

  onPullDownRefresh() {
    void this.load().then(() => wx.stopPullDownRefresh());
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      await session.ensureLogin();
      const round = roundDetail(await api.get("/api/rounds/{id}", { path: { id: this.data.id } }));
      this.setData({ status: "ready", round, shares: clampShares(this.data.shares, round.minShares, round.maxShares) });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  onAcknowledge(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
    this.setData({ acknowledged: e.detail.value.includes("yes") });
  },

  onMinus() {
    const r = this.data.round;
    if (r) this.setData({ shares: clampShares(this.data.shares - 1, r.minShares, r.maxShares) });
  },

  onPlus() {
    const r = this.data.round;
    if (r) this.setData({ shares: clampShares(this.data.shares + 1, r.minShares, r.maxShares) });
  },

  async onSubscribe() {
    const r = this.data.round;
    if (!r || this.data.submitting) return;
    if (!this.data.acknowledged) {
      void wx.showToast({ title: "请先阅读并确认风险揭示书", icon: "none" });
      return;
    }
    const key = this.data.key || newIdempotencyKey();
    this.setData({ submitting: true, key });
    try {
      await api.post("/api/rounds/{id}/subscriptions", { path: { id: r.id }, body: { shares: this.data.shares, disclosureVersion: r.disclosureVersion }, idempotent: key });
      this.setData({ key: "" });
      void wx.showToast({ title: "认购已提交", icon: "success" });
      await this.load();
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: "none" });
      if (!(e as { status?: number }).status || (e as { status?: number }).status! >= 500) return;
      this.setData({ key: "" });
      await this.load();
    } finally {
      this.setData({ submitting: false });
    }
  },

  openMyShares() {
    void wx.navigateTo({ url: "/pages/my-shares/index" });
  },
});
