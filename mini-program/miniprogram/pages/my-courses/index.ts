import { pagedList, pagedListData } from "../../lib/paged-list";
import { myCourseCard, type MyCourse, type MyCourseCard } from "../../lib/my-course-view";
import { VIRTUAL_PAYMENT_ON_IOS } from "../../config";
import { purchaseBlocked } from "../../lib/purchase";
import { api, session } from "../../lib/services";
import { platform } from "../../lib/wx-shop";

const PAGE_SIZE = 20;

function card(item: MyCourse): MyCourseCard {
  return myCourseCard(item, purchaseBlocked({ platform: platform(), virtualPaymentOnIOS: VIRTUAL_PAYMENT_ON_IOS }));
}

/** 我的课程: the courses the member may learn, with how far they got; more on scroll. */
Page({
  data: pagedListData<MyCourseCard>(),
  ...pagedList(
    async (cursor) => {
      await session.ensureLogin();
      const page = await api.get("/api/me/courses", { query: { limit: PAGE_SIZE, cursor } });
      return { items: page.items.map(card), nextCursor: page.nextCursor };
    },
    { keepWhileReloading: true },
  ),

  onLoad() {
    void this.reload();
  },

  onShow() {
    // Coming back from the player: progress moved on.
    if (this.data.status === "ready") void this.reload();
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
