import { VIRTUAL_PAYMENT_ON_IOS } from "../../config";
import { courseDetailView, type CourseDetailView } from "../../lib/course-view";
import { newIdempotencyKey } from "../../lib/idempotency";
import { messageOf } from "../../lib/problems";
import { startLessonId } from "../../lib/progress";
import { checkout, purchaseAction, purchaseBlocked, type PurchaseAction } from "../../lib/purchase";
import { decodeQueryValue } from "../../lib/query";
import { api, session } from "../../lib/services";
import { shareMessage, shareTimeline } from "../../lib/share";
import { platform, requestPayment } from "../../lib/wx-shop";

type Status = "loading" | "ready" | "error";

/** 课程详情: chapters and lessons (trial lessons marked 试看), price, and whether the member owns it. */
Page({
  data: {
    status: "loading" as Status,
    message: "",
    id: "",
    course: null as CourseDetailView | null,
    action: null as PurchaseAction | null,
    startLessonId: "",
    buying: false,
    /** Set when the member left to pay: coming back, the page asks again whether the course is theirs. */
    stale: false,
  },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: decodeQueryValue(query.id) });
    void this.load();
  },

  onRetry() {
    void this.load();
  },

  onShow() {
    if (this.data.stale) {
      this.setData({ stale: false });
      void this.load(true);
    }
  },

  /** `quiet` keeps what is shown while asking again (back from paying). */
  async load(quiet = false) {
    if (!this.data.id) {
      this.setData({ status: "error", message: "内容不存在或已下架" });
      return;
    }
    if (!quiet || this.data.status !== "ready") this.setData({ status: "loading", message: "" });
    try {
      // Logged in or not, the course shows; with a token it also says whether the member owns it.
      await session.ensureLogin().catch(() => undefined);
      const detail = await api.get("/api/courses/{id}", { path: { id: this.data.id } });
      const course = courseDetailView(detail);
      const ctx = { platform: platform(), virtualPaymentOnIOS: VIRTUAL_PAYMENT_ON_IOS };
      const action = purchaseAction(detail, ctx);
      // On iOS without virtual payment the page shows no price and no 已购买 (WeChat's rule, see config.ts).
      if (purchaseBlocked(ctx)) Object.assign(course, { priceLabel: course.free ? course.priceLabel : "", ownedLabel: "" });
      this.setData({ status: "ready", course, action, startLessonId: startLessonId(detail.chapters) ?? "" });
      void wx.setNavigationBarTitle({ title: course.title });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  onAccessTap() {
    const action = this.data.action;
    if (action?.kind === "learn") this.openLessonById(this.data.startLessonId);
    else if (action?.kind === "buy") void this.buy();
  },

  onLessonTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; locked: boolean }>) {
    const { id, locked } = e.currentTarget.dataset;
    if (locked) void wx.showToast({ title: this.data.action?.kind === "buy" ? "购买后即可学习" : "暂未开放", icon: "none" });
    else this.openLessonById(id);
  },

  openLessonById(lessonId: string) {
    if (!lessonId) return;
    void wx.navigateTo({ url: `/pages/lesson/index?id=${encodeURIComponent(lessonId)}&courseId=${encodeURIComponent(this.data.id)}` });
  },

  /** 立即购买: order (one key per tap) → WeChat's cashier → the result page, which waits for the worker. */
  async buy() {
    if (this.data.buying) return;
    this.setData({ buying: true });
    const result = await checkout(
      {
        placeOrder: (courseId, key) => api.post("/api/orders", { body: { courseId }, idempotent: key }),
        requestPayment,
      },
      this.data.id,
      newIdempotencyKey(),
    );
    this.setData({ buying: false, stale: result.kind === "paying-confirmed" });
    if (result.kind === "paying-confirmed") {
      void wx.navigateTo({ url: `/pages/pay-result/index?orderId=${encodeURIComponent(result.orderId)}&courseId=${encodeURIComponent(this.data.id)}` });
    } else if (result.kind === "owned") {
      void wx.showToast({ title: result.message, icon: "none" });
      void this.load();
    } else {
      void wx.showToast({ title: result.message, icon: "none" });
    }
  },

  onShareAppMessage() {
    return shareMessage("/pages/course/index", { id: this.data.id }, session.cachedInvite()?.inviteCode, this.data.course?.title);
  },

  onShareTimeline() {
    return shareTimeline({ id: this.data.id }, session.cachedInvite()?.inviteCode, this.data.course?.title);
  },
});
