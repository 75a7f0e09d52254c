import { newIdempotencyKey } from "../../lib/idempotency";
import { waitUntilPaid, type PayParams } from "../../lib/purchase";
import { requestPayment } from "../../lib/wx-shop";
import { messageOf } from "../../lib/problems";
import { decodeQueryValue } from "../../lib/query";
import { clampShares, roundDetail, type RoundDetailView } from "../../lib/round-view";
import { formatFen } from "../../lib/money";
import { api, session } from "../../lib/services";
import { reloadable } from "../../lib/paged-list";

type Status = "loading" | "ready" | "error";

/**
 * 众筹详情: progress, time left, rules and the risk disclosure. The member must tick the acknowledgement of the
 * disclosure's current version before subscribing; the version is sent with the subscription and recorded.
 * Subscribing reserves the shares and opens WeChat's cashier; a cancelled payment keeps the reservation until its
 * order expires, payable again with 去支付. Shares are not virtual goods, so iOS may subscribe and pay too.
 */
Page({
  ...reloadable,
  data: {
    status: "loading" as Status,
    message: "",
    id: "",
    round: null as RoundDetailView | null,
    shares: 1,
    totalLabel: "",
    acknowledged: false,
    submitting: false,
    /** One key per subscription attempt, so a retried tap never reserves twice. */
    key: "",
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: decodeQueryValue(query.id) });
    void this.load();
  },

  async load() {
    this.setData({ status: "loading", message: "" });
    try {
      await session.ensureLogin();
      const round = roundDetail(await api.get("/api/rounds/{id}", { path: { id: this.data.id } }));
      this.setData({ status: "ready", round });
      this.setShares(this.data.shares);
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  onAcknowledge(e: WechatMiniprogram.CustomEvent<{ value: string[] }>) {
    this.setData({ acknowledged: e.detail.value.includes("yes") });
  },

  setShares(n: number) {
    const r = this.data.round;
    if (!r) return;
    const shares = clampShares(n, r.minShares, r.maxShares);
    this.setData({ shares, totalLabel: formatFen(shares * r.sharePriceFen) });
  },

  onMinus() {
    this.setShares(this.data.shares - 1);
  },

  onPlus() {
    this.setShares(this.data.shares + 1);
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
      const placed = await api.post("/api/rounds/{id}/subscriptions", { path: { id: r.id }, body: { shares: this.data.shares, disclosureVersion: r.disclosureVersion }, idempotent: key });
      this.setData({ key: "" });
      await this.pay(placed.order.id, placed.payParams);
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: "none" });
      // A refusal (sold out, window closed, disclosure updated…) is final for this key; a network failure may be retried with it.
      const status = (e as { status?: number }).status;
      if (status && status < 500) {
        this.setData({ key: "" });
        await this.load();
      }
    } finally {
      this.setData({ submitting: false });
    }
  },

  /** 去支付: the reservation's order again, with fresh payment parameters (the same out_trade_no). */
  async onPayAgain() {
    const orderId = this.data.round?.mine?.orderId;
    if (!orderId || this.data.submitting) return;
    this.setData({ submitting: true });
    try {
      const again = await api.post("/api/orders/{id}/pay", { path: { id: orderId } });
      await this.pay(orderId, again.payParams);
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: "none" });
    } finally {
      this.setData({ submitting: false });
    }
  },

  async pay(orderId: string, payParams: PayParams) {
    const outcome = await requestPayment(payParams);
    if (!outcome.ok) {
      void wx.showToast({ title: outcome.cancelled ? "已取消支付，份额保留至支付截止" : "支付失败，请稍后重试", icon: "none" });
      await this.load();
      return;
    }
    // The payment counts once WeChat Pay's notification reaches the worker, which can lag a little.
    const { settled } = await waitUntilPaid(() => api.get("/api/orders/{id}", { path: { id: orderId } }));
    void wx.showToast({ title: settled ? "认购成功" : "支付结果待确认", icon: settled ? "success" : "none" });
    await this.load();
  },

  openMyShares() {
    void wx.navigateTo({ url: "/pages/my-shares/index" });
  },
});
