import { VIRTUAL_PAYMENT_ON_IOS } from "../../config";
import { messageOf } from "../../lib/problems";
import { profileView, type ProfileView } from "../../lib/profile-view";
import { api, session } from "../../lib/services";
import { purchaseBlocked } from "../../lib/purchase";
import { shareMessage, shareTimeline } from "../../lib/share";
import { platform } from "../../lib/wx-shop";
import { isPartner } from "../../lib/partner";
import { reloadable } from "../../lib/paged-list";

type Status = "loading" | "ready" | "error";

/** 我的: profile, tier, referrer, and the invite card with the code to share. */
Page({
  ...reloadable,
  // 我的订单 lists purchases, which iOS may not show without virtual payment (see config.ts).
  // 合伙人众筹 shows only when a round is open to this member's tier: nobody else learns that rounds exist.
  data: { status: "loading" as Status, message: "", profile: null as ProfileView | null, showOrders: true, showRounds: false, showShares: false, showWithdraw: false, partner: false, applied: false },

  onLoad() {
    this.setData({ showOrders: !purchaseBlocked({ platform: platform(), virtualPaymentOnIOS: VIRTUAL_PAYMENT_ON_IOS }) });
    void this.load();
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      await session.ensureLogin();
      const [member, invite, rounds, shares] = await Promise.all([
        api.get("/api/me"),
        session.loadInvite(),
        api.get("/api/rounds", { query: { limit: 1 } }).catch(() => null),
        api.get("/api/me/shares").catch(() => null),
      ]);
      this.setData({
        status: "ready",
        profile: profileView(member, invite),
        partner: isPartner(member.tier),
        showRounds: (rounds?.items.length ?? 0) > 0,
        showShares: Boolean(shares && (shares.holdings.length > 0 || shares.subscriptions.length > 0)),
        // Partners (推广员 and up) turn their commission into WeChat balance from here.
        showWithdraw: member.tier !== "member",
      });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  openMyCourses() {
    void wx.navigateTo({ url: "/pages/my-courses/index" });
  },

  openWithdraw() {
    void wx.navigateTo({ url: "/pages/withdraw/index" });
  },

  openRounds() {
    void wx.navigateTo({ url: "/pages/rounds/index" });
  },

  openMyShares() {
    void wx.navigateTo({ url: "/pages/my-shares/index" });
  },

  openMyLots() {
    void wx.navigateTo({ url: "/pages/my-lots/index" });
  },

  openOrders() {
    void wx.navigateTo({ url: "/pages/orders/index" });
  },

  openPartnerCenter() {
    void wx.navigateTo({ url: "/pages/partner/index" });
  },

  /** 申请成为推广员: one application; an admin approves it in the console. */
  async applyForPromoter() {
    try {
      await api.post("/api/partner/application", { body: { note: "" }, idempotent: true });
      this.setData({ applied: true });
      void wx.showToast({ title: "申请已提交，请等待审核", icon: "none" });
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: "none" });
    }
  },

  /** WeChat's own avatar picker (open-type="chooseAvatar"): the chosen image is shown and, when it is an https URL, saved. */
  async onChooseAvatar(e: { detail: { avatarUrl: string } }) {
    const avatarUrl = e.detail.avatarUrl;
    if (!this.data.profile) return;
    this.setData({ profile: { ...this.data.profile, avatarUrl } });
    if (!avatarUrl.startsWith("https://")) return; // a local temp file: kept on this device until an upload exists
    try {
      await api.patch("/api/me", { body: { avatarUrl } });
    } catch (err) {
      void wx.showToast({ title: messageOf(err), icon: "none" });
    }
  },

  /** The nickname input (type="nickname") offers the WeChat nickname; saved when the field loses focus. */
  async onNicknameBlur(e: { detail: { value: string } }) {
    const nickname = e.detail.value.trim();
    if (!nickname || !this.data.profile || nickname === this.data.profile.nickname) return;
    try {
      await api.patch("/api/me", { body: { nickname } });
      this.setData({ profile: { ...this.data.profile, nickname } });
    } catch (err) {
      void wx.showToast({ title: messageOf(err), icon: "none" });
    }
  },

  copyInviteCode() {
    const code = this.data.profile?.inviteCode;
    if (code) void wx.setClipboardData({ data: code });
  },

  onShareAppMessage() {
    return shareMessage("/pages/index/index", {}, this.data.profile?.inviteCode ?? session.cachedInvite()?.inviteCode, "邀请你加入知识社群");
  },

  onShareTimeline() {
    return shareTimeline({}, this.data.profile?.inviteCode ?? session.cachedInvite()?.inviteCode, "邀请你加入知识社群");
  },
});
