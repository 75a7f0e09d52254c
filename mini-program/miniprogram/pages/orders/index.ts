import { VIRTUAL_PAYMENT_ON_IOS } from "../../config";
import { newIdempotencyKey } from "../../lib/idempotency";
import { appendPage, canLoadMore, failedList, firstPage, listFooter, loadingList, type ListState } from "../../lib/list-state";
import { orderRow, type OrderRow } from "../../lib/order-view";
import { messageOf } from "../../lib/problems";
import { checkout, purchaseBlocked } from "../../lib/purchase";
import { api, session } from "../../lib/services";
import { platform, requestPayment } from "../../lib/wx-shop";

const PAGE_SIZE = 20;

/** 我的订单: every order with its status and refunds; a pending order can be paid again (the same order). */
Page({
  data: { ...loadingList<OrderRow>(), footer: "", generation: 0, payingId: "", canPay: true },

  onLoad() {
    this.setData({ canPay: !purchaseBlocked({ platform: platform(), virtualPaymentOnIOS: VIRTUAL_PAYMENT_ON_IOS }) });
    void this.reload();
  },

  onShow() {
    // Back from the pay result page or a refund settled meanwhile.
    if (this.data.status === "ready") void this.reload();
  },

  onPullDownRefresh() {
    void this.reload().then(() => wx.stopPullDownRefresh());
  },

  onReachBottom() {
    void this.loadMore();
  },

  onRetry() {
    void this.reload();
  },

  show(state: ListState<OrderRow>) {
    this.setData({ ...state, footer: listFooter(state) });
  },

  async reload() {
    const generation = this.data.generation + 1;
    this.setData({ generation });
    if (this.data.status !== "ready") this.show(loadingList());
    try {
      await session.ensureLogin();
      const page = await api.get("/api/orders", { query: { limit: PAGE_SIZE } });
      if (this.data.generation === generation) this.show(firstPage(page.items.map((o) => orderRow(o)), page.nextCursor));
    } catch (e) {
      if (this.data.generation === generation) this.show(failedList(messageOf(e)));
    }
  },

  async loadMore() {
    const state = this.data as ListState<OrderRow>;
    if (!canLoadMore(state) || !state.nextCursor) return;
    const generation = this.data.generation;
    this.show({ ...state, loadingMore: true, moreError: "" });
    try {
      const page = await api.get("/api/orders", { query: { limit: PAGE_SIZE, cursor: state.nextCursor } });
      if (this.data.generation === generation) this.show(appendPage(this.data as ListState<OrderRow>, page.items.map((o) => orderRow(o)), page.nextCursor));
    } catch (e) {
      if (this.data.generation === generation) this.show({ ...(this.data as ListState<OrderRow>), loadingMore: false, moreError: messageOf(e) });
    }
  },

  onFooterTap() {
    if (this.data.moreError) void this.loadMore();
  },

  /** 去支付: POST /api/orders for the same course answers the open order with fresh payment parameters. */
  async onPayTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; course: string }>) {
    const { course } = e.currentTarget.dataset;
    if (this.data.payingId) return;
    this.setData({ payingId: e.currentTarget.dataset.id });
    const result = await checkout(
      { placeOrder: (courseId, key) => api.post("/api/orders", { body: { courseId }, idempotent: key }), requestPayment },
      course,
      newIdempotencyKey(),
    );
    this.setData({ payingId: "" });
    if (result.kind === "paying-confirmed") {
      void wx.navigateTo({ url: `/pages/pay-result/index?orderId=${encodeURIComponent(result.orderId)}&courseId=${encodeURIComponent(course)}` });
    } else {
      void wx.showToast({ title: result.message, icon: "none" });
      if (result.kind === "owned") void this.reload();
    }
  },

  openCourse(e: WechatMiniprogram.BaseEvent<Record<string, never>, { course: string }>) {
    void wx.navigateTo({ url: `/pages/course/index?id=${encodeURIComponent(e.currentTarget.dataset.course)}` });
  },
});
