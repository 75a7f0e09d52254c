import { courseCard, type CourseCard } from "../../lib/course-view";
import { pagedList, pagedListData } from "../../lib/paged-list";
import { api, session } from "../../lib/services";
import { shareMessage, shareTimeline } from "../../lib/share";

const PAGE_SIZE = 10;

/** 首页: published courses, more on scroll. */
Page({
  data: pagedListData<CourseCard>(),
  ...pagedList(async (cursor) => {
    const page = await api.get("/api/courses", { query: { limit: PAGE_SIZE, cursor } });
    return { items: page.items.map(courseCard), nextCursor: page.nextCursor };
  }),

  onLoad() {
    void this.reload();
  },

  openCourse(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    void wx.navigateTo({ url: `/pages/course/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}` });
  },

  onShareAppMessage() {
    return shareMessage("/pages/index/index", {}, session.cachedInvite()?.inviteCode);
  },

  onShareTimeline() {
    return shareTimeline({}, session.cachedInvite()?.inviteCode);
  },
});
