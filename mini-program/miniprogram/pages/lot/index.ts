import { API_BASE_URL } from "../../config";
import { newIdempotencyKey } from "../../lib/idempotency";
import { LiveFeed, liveUrl } from "../../lib/lot-live";
import { applyLive, bidBar, countdownLabel, STATE_LABELS, yuanToFen, type LiveLot } from "../../lib/lot-view";
import { formatFen } from "../../lib/money";
import { messageOf, RequestError } from "../../lib/problems";
import { decodeQueryValue } from "../../lib/query";
import { api, session } from "../../lib/services";
import { wxSocket } from "../../lib/wx-platform";
import { requestPayment } from "../../lib/wx-shop";

type Status = "loading" | "ready" | "error";
type Lot = { id: string; title: string; instructor: string; description: string; images: { url: string }[]; depositFen: number; startsAt: string; reserveMet: boolean | null };

let feed: LiveFeed | null = null;
let ticker: ReturnType<typeof setInterval> | null = null;

/** 拍品详情: live price over the lot's WebSocket, a countdown that follows extensions, bid and proxy-bid controls. */
Page({
  data: {
    status: "loading" as Status,
    message: "",
    id: "",
    lot: null as Lot | null,
    live: null as LiveLot | null,
    leading: false,
    /** The member's paddle in this lot: the live socket names the leader only by paddle. */
    myPaddle: null as number | null,
    priceLabel: "",
    priceCaption: "",
    stateLabel: "",
    countdown: "",
    leaderLabel: "",
    bidsLabel: "",
    depositLabel: "",
    reserveLabel: "",
    bar: { canBid: false, nextMinFen: 0, bidLabel: "", leadingLabel: "" },
    proxyText: "",
    bidding: false,
    /** The lot asks a deposit the member has not paid: the bar offers 缴纳保证金 instead of bids. */
    needDeposit: false,
    depositButton: "",
    paying: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: decodeQueryValue(query.id) });
    void this.load();
  },

  onShow() {
    if (this.data.status === "ready" && !feed) this.startLive();
  },

  onHide() {
    this.stopLive();
  },

  onUnload() {
    this.stopLive();
  },

  onRetry() {
    void this.load();
  },

  async load() {
    if (!this.data.id) {
      this.setData({ status: "error", message: "内容不存在或已下架" });
      return;
    }
    this.setData({ status: "loading", message: "" });
    try {
      await session.ensureLogin().catch(() => undefined);
      const lot = await api.get("/api/lots/{id}", { path: { id: this.data.id } });
      this.setData({
        status: "ready",
        lot: { id: lot.id, title: lot.title, instructor: lot.instructor, description: lot.description, images: lot.images, depositFen: lot.depositFen, startsAt: lot.startsAt, reserveMet: lot.reserveMet },
        depositLabel: lot.depositFen > 0 ? `保证金 ${formatFen(lot.depositFen)}` : "无需保证金",
        reserveLabel: lot.reserveMet === null ? "无保留价" : lot.reserveMet ? "已达保留价" : "未达保留价",
        leading: lot.leading,
        myPaddle: lot.myPaddle,
        needDeposit: lot.depositFen > 0 && !lot.depositPaid,
        depositButton: `缴纳保证金 ${formatFen(lot.depositFen)}`,
      });
      this.show({ currentPriceFen: lot.currentPriceFen, nextMinFen: lot.nextMinFen, bidCount: lot.bidCount, endsAt: lot.endsAt, state: lot.state, leader: lot.leader }, true);
      void wx.setNavigationBarTitle({ title: lot.title });
      this.startLive();
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  /** Shows a standing (from the page load, the live socket or a bid's answer), never an older one. */
  show(next: LiveLot, replace = false) {
    const live = replace || !this.data.live ? next : applyLive(this.data.live, next);
    const started = live.currentPriceFen !== null;
    this.setData({
      live,
      priceLabel: formatFen(live.currentPriceFen ?? live.nextMinFen),
      priceCaption: started ? (live.state === "ended" ? "最高价" : "当前价") : "起拍价",
      stateLabel: STATE_LABELS[live.state],
      leaderLabel: live.leader ? `领先：${live.leader.label}` : "暂无出价",
      bidsLabel: `${live.bidCount} 次出价`,
      countdown: countdownLabel(live.endsAt, live.state, Date.now(), this.data.lot?.startsAt),
      bar: bidBar(live, this.data.leading),
    });
  },

  startLive() {
    this.stopLive();
    feed = new LiveFeed(liveUrl(API_BASE_URL, this.data.id), wxSocket, (m) => {
      const message = m as unknown as LiveLot;
      // The socket names the leader by paddle only: the member leads when the leader's paddle is theirs.
      if (this.data.myPaddle !== null && (!this.data.live || message.bidCount >= this.data.live.bidCount)) {
        this.setData({ leading: message.leader?.paddle === this.data.myPaddle });
      }
      this.show(message);
    });
    feed.start();
    ticker = setInterval(() => {
      const live = this.data.live;
      if (live) this.setData({ countdown: countdownLabel(live.endsAt, live.state, Date.now(), this.data.lot?.startsAt) });
    }, 1000);
  },

  stopLive() {
    feed?.stop();
    feed = null;
    if (ticker) clearInterval(ticker);
    ticker = null;
  },

  onProxyInput(e: WechatMiniprogram.Input) {
    this.setData({ proxyText: e.detail.value });
  },

  onBidTap() {
    void this.placeBid();
  },

  onProxyTap() {
    const maxFen = yuanToFen(this.data.proxyText);
    const min = this.data.bar.nextMinFen;
    if (maxFen === null || maxFen < min) {
      void wx.showToast({ title: `请输入不低于 ${formatFen(min)} 的最高价`, icon: "none" });
      return;
    }
    void this.placeBid(maxFen);
  },

  /**
   * 缴纳保证金: the deposit order (one key per tap), WeChat's cashier, then the page asks the worker until the
   * payment notification has landed (it can lag behind wx.requestPayment's success).
   */
  async onDepositTap() {
    if (this.data.paying) return;
    this.setData({ paying: true });
    try {
      const placed = await api.post("/api/lots/{id}/deposit", { path: { id: this.data.id }, idempotent: newIdempotencyKey() });
      const outcome = await requestPayment(placed.payParams);
      if (!outcome.ok) {
        void wx.showToast({ title: outcome.cancelled ? "已取消支付" : "支付未完成，请重试", icon: "none" });
        return;
      }
      for (let i = 0; i < 6; i++) {
        const lot = await api.get("/api/lots/{id}", { path: { id: this.data.id } });
        if (lot.depositPaid) {
          this.setData({ needDeposit: false });
          void wx.showToast({ title: "保证金已缴纳", icon: "success" });
          return;
        }
        await new Promise((r) => setTimeout(r, 1000));
      }
      void wx.showToast({ title: "支付结果确认中，请稍后刷新", icon: "none" });
    } catch (e) {
      if (e instanceof RequestError && e.type === "/problems/deposit-already-paid") this.setData({ needDeposit: false });
      void wx.showToast({ title: messageOf(e), icon: "none" });
    } finally {
      this.setData({ paying: false });
    }
  },

  /** One bid at the next valid amount (optionally with a proxy maximum); one Idempotency-Key per tap. */
  async placeBid(maxFen?: number) {
    if (this.data.bidding || !this.data.bar.canBid) return;
    this.setData({ bidding: true });
    const amountFen = this.data.bar.nextMinFen;
    try {
      const res = await api.post("/api/lots/{id}/bids", { path: { id: this.data.id }, body: maxFen ? { amountFen, maxFen } : { amountFen }, idempotent: newIdempotencyKey() });
      this.setData({ leading: true, proxyText: "", myPaddle: res.paddle });
      this.show({ ...this.data.live!, currentPriceFen: res.currentPriceFen, nextMinFen: res.nextMinFen, endsAt: res.endsAt });
      void wx.showToast({ title: maxFen ? "代理出价成功" : "出价成功", icon: "success" });
    } catch (e) {
      if (e instanceof RequestError && e.type === "/problems/deposit-required") this.setData({ needDeposit: true });
      const problem = e instanceof RequestError ? (e.problem as Partial<LiveLot> & { leading?: boolean; paddle?: number | null } | undefined) : undefined;
      if (problem && typeof problem.nextMinFen === "number") {
        this.setData({ leading: problem.leading === true, myPaddle: problem.paddle ?? this.data.myPaddle });
        this.show({ ...this.data.live!, currentPriceFen: problem.currentPriceFen ?? null, nextMinFen: problem.nextMinFen, endsAt: problem.endsAt ?? this.data.live!.endsAt });
      }
      void wx.showToast({ title: messageOf(e), icon: "none" });
    } finally {
      this.setData({ bidding: false });
    }
  },
});
