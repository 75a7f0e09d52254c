import { orderRow, type OrderRow } from "../../lib/order-view";
import { messageOf } from "../../lib/problems";
import { startLessonId } from "../../lib/progress";
import { waitUntilPaid } from "../../lib/purchase";
import { decodeQueryValue } from "../../lib/query";
import { api } from "../../lib/services";

type Status = "loading" | "ready" | "error";
type Outcome = "paid" | "pending" | "other";

/**
 * 支付结果: wx.requestPayment said the member paid; the order is paid once WeChat Pay's notification
 * reaches the worker, which can lag. Ask a few times, then say 待确认 and let the member check again.
 */
Page({
  data: { status: "loading" as Status, message: "", orderId: "", courseId: "", outcome: "pending" as Outcome, order: null as OrderRow | null, checking: false },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ orderId: decodeQueryValue(query.orderId), courseId: decodeQueryValue(query.courseId) });
    void this.check();
  },

  onRetry() {
    void this.check();
  },

  async check() {
    if (!this.data.orderId) {
      this.setData({ status: "error", message: "订单不存在" });
      return;
    }
    if (this.data.status !== "ready") this.setData({ status: "loading", message: "" });
    this.setData({ checking: true });
    try {
      const { order, settled } = await waitUntilPaid(() => api.get("/api/orders/{id}", { path: { id: this.data.orderId } }));
      const outcome: Outcome = !settled ? "pending" : order.status === "paid" ? "paid" : "other";
      this.setData({ status: "ready", outcome, order: orderRow(order), courseId: this.data.courseId || order.courseId || "", checking: false });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e), checking: false });
    }
  },

  onCheckAgain() {
    if (!this.data.checking) void this.check();
  },

  /** 开始学习: the first lesson not finished yet. */
  async onStartTap() {
    try {
      const course = await api.get("/api/courses/{id}", { path: { id: this.data.courseId } });
      const lessonId = startLessonId(course.chapters);
      const url = lessonId
        ? `/pages/lesson/index?id=${encodeURIComponent(lessonId)}&courseId=${encodeURIComponent(course.id)}`
        : `/pages/course/index?id=${encodeURIComponent(course.id)}`;
      void wx.redirectTo({ url });
    } catch (e) {
      void wx.showToast({ title: messageOf(e), icon: "none" });
    }
  },

  onOrdersTap() {
    void wx.redirectTo({ url: "/pages/orders/index" });
  },
});
