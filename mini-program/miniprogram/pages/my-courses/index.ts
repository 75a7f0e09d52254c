import { appendPage, canLoadMore, failedList, firstPage, listFooter, loadingList, type ListState } from "../../lib/list-state";
import { myCourseCard, type MyCourse, type MyCourseCard } from "../../lib/my-course-view";
import { VIRTUAL_PAYMENT_ON_IOS } from "../../config";
import { messageOf } from "../../lib/problems";
import { purchaseBlocked } from "../../lib/purchase";
import { api, session } from "../../lib/services";
import { platform } from "../../lib/wx-shop";

const PAGE_SIZE = 20;

function card(item: MyCourse): MyCourseCard {
  return myCourseCard(item, purchaseBlocked({ platform: platform(), virtualPaymentOnIOS: VIRTUAL_PAYMENT_ON_IOS }));
}

/** 我的课程: the courses the member may learn, with how far they got; more on scroll. */
Page({
  data: { ...loadingList<MyCourseCard>(), footer: "", generation: 0 },

  onLoad() {
    void this.reload();
  },

  onShow() {
    // Coming back from the player: progress moved on.
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

  show(state: ListState<MyCourseCard>) {
    this.setData({ ...state, footer: listFooter(state) });
  },

  async reload() {
    const generation = this.data.generation + 1;
    this.setData({ generation });
    if (this.data.status !== "ready") this.show(loadingList());
    try {
      await session.ensureLogin();
      const page = await api.get("/api/me/courses", { query: { limit: PAGE_SIZE } });
      if (this.data.generation === generation) this.show(firstPage(page.items.map(card), page.nextCursor));
    } catch (e) {
      if (this.data.generation === generation) this.show(failedList(messageOf(e)));
    }
  },

  async loadMore() {
    const state = this.data as ListState<MyCourseCard>;
    if (!canLoadMore(state) || !state.nextCursor) return;
    const generation = this.data.generation;
    this.show({ ...state, loadingMore: true, moreError: "" });
    try {
      const page = await api.get("/api/me/courses", { query: { limit: PAGE_SIZE, cursor: state.nextCursor } });
      if (this.data.generation === generation) this.show(appendPage(this.data as ListState<MyCourseCard>, page.items.map(card), page.nextCursor));
    } catch (e) {
      if (this.data.generation === generation) this.show({ ...(this.data as ListState<MyCourseCard>), loadingMore: false, moreError: messageOf(e) });
    }
  },

  onFooterTap() {
    if (this.data.moreError) void this.loadMore();
  },

  /** Continues where the member left off, or opens the course. */
  openCourse(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string; lesson: string }>) {
    const { id, lesson } = e.currentTarget.dataset;
    const url = lesson
      ? `/pages/lesson/index?id=${encodeURIComponent(lesson)}&courseId=${encodeURIComponent(id)}`
      : `/pages/course/index?id=${encodeURIComponent(id)}`;
    void wx.navigateTo({ url });
  },

  goHome() {
    void wx.switchTab({ url: "/pages/index/index" });
  },
});
