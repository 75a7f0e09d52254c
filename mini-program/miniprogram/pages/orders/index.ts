import { VIRTUAL_PAYMENT_ON_IOS } from "../../config";
import { newIdempotencyKey } from "../../lib/idempotency";
import { pagedList, pagedListData } from "../../lib/paged-list";
import { orderRow, type OrderRow } from "../../lib/order-view";
import { checkout, purchaseBlocked } from "../../lib/purchase";
import { api, session } from "../../lib/services";
import { platform, requestPayment } from "../../lib/wx-shop";

const PAGE_SIZE = 20;

/** 我的订单: every order with its status and refunds; a pending order can be paid again (the same order). */
Page({
  data: { ...pagedListData<OrderRow>(), payingId: "", canPay: true },
  ...pagedList(
    async (cursor) => {
      await session.ensureLogin();
      const page = await api.get("/api/orders", { query: { limit: PAGE_SIZE, cursor } });
      return { items: page.items.map((o) => orderRow(o)), nextCursor: page.nextCursor };
    },
    { keepWhileReloading: true },
  ),

  onLoad() {
    this.setData({ canPay: !purchaseBlocked({ platform: platform(), virtualPaymentOnIOS: VIRTUAL_PAYMENT_ON_IOS }) });
    void this.reload();
  },

  onShow() {
    // Back from the pay result page or a refund settled meanwhile.
    if (this.data.status === "ready") void this.reload();
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
