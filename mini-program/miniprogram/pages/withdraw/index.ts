import { newIdempotencyKey } from "../../lib/idempotency";
import { formatFen } from "../../lib/money";
import { messageOf } from "../../lib/problems";
import { api, session } from "../../lib/services";
import { preview, rulesText, type Overview } from "../../lib/withdrawal";

type Status = "loading" | "ready" | "error";

/** 提现: available balance, the amount with its fee preview and limits, the real-name step from ¥2,000, submit. */
Page({
  data: {
    status: "loading" as Status,
    message: "",
    overview: null as Overview | null,
    availableLabel: "",
    rulesLabel: "",
    amount: "",
    hint: "",
    canSubmit: false,
    needsRealName: false,
    realName: "",
    realNameMasked: "",
    submitting: false,
    /** One key per logical submission: a retried POST is the same withdrawal. */
    submitKey: "",
  },

  onLoad() {
    void this.load();
  },

  onRetry() {
    void this.load();
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      await session.ensureLogin();
      const overview = await api.get("/api/partner/withdrawal-overview");
      this.setData({
        status: "ready", overview, availableLabel: formatFen(overview.availableFen), rulesLabel: rulesText(overview.rules),
        realNameMasked: overview.realNameMasked ?? "", submitKey: newIdempotencyKey(),
      });
      this.refreshPreview(this.data.amount);
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  refreshPreview(amount: string) {
    const o = this.data.overview;
    if (!o) return;
    const p = preview(o, amount);
    this.setData({
      amount,
      hint: p.ok ? p.label : p.message,
      canSubmit: p.ok && !p.needsRealName,
      needsRealName: p.ok && p.needsRealName,
    });
  },

  onAmountInput(e: WechatMiniprogram.Input) {
    this.refreshPreview(e.detail.value);
  },

  onAllTap() {
    const o = this.data.overview;
    if (o) this.refreshPreview((o.availableFen / 100).toFixed(2));
  },

  onRealNameInput(e: WechatMiniprogram.Input) {
    this.setData({ realName: e.detail.value });
  },

  async onSaveRealName() {
    const realName = this.data.realName.trim();
    if (!realName) return void wx.showToast({ title: "请填写真实姓名", icon: "none" });
    try {
      const saved = await api.post("/api/partner/payee/real-name", { body: { realName }, idempotent: true });
      const overview = this.data.overview ? { ...this.data.overview, realNameMasked: saved.realNameMasked } : null;
      this.setData({ overview, realNameMasked: saved.realNameMasked, realName: "" });
      this.refreshPreview(this.data.amount);
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: "none" });
    }
  },

  async onSubmit() {
    const o = this.data.overview;
    const p = o ? preview(o, this.data.amount) : null;
    if (!p?.ok || p.needsRealName || this.data.submitting) return;
    this.setData({ submitting: true });
    try {
      await api.post("/api/partner/withdrawals", { body: { amountFen: p.amountFen }, idempotent: this.data.submitKey });
      this.setData({ submitting: false, amount: "", submitKey: newIdempotencyKey() });
      void wx.showToast({ title: "已提交，等待审核", icon: "none" });
      void wx.navigateTo({ url: "/pages/withdrawals/index" });
    } catch (e) {
      this.setData({ submitting: false, submitKey: newIdempotencyKey() });
      void wx.showToast({ title: messageOf(e), icon: "none" });
      void this.load();
    }
  },

  openRecords() {
    void wx.navigateTo({ url: "/pages/withdrawals/index" });
  },
});
