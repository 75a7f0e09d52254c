import { courseCard, type CourseCard } from "../../lib/course-view";
import { appendPage, canLoadMore, failedList, firstPage, listFooter, loadingList, type ListState } from "../../lib/list-state";
import { messageOf } from "../../lib/problems";
import { api, session } from "../../lib/services";
import { shareMessage, shareTimeline } from "../../lib/share";

const PAGE_SIZE = 10;

/** 首页: published courses, more on scroll. */
Page({
  // `generation` tells a late answer from a superseded load (a pull-down refresh while a page was loading).
  data: { ...loadingList<CourseCard>(), footer: "", generation: 0 },

  onLoad() {
    void this.reload();
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

  show(state: ListState<CourseCard>) {
    this.setData({ ...state, footer: listFooter(state) });
  },

  async reload() {
    const generation = this.data.generation + 1;
    this.setData({ generation });
    this.show(loadingList());
    try {
      const page = await api.get("/api/courses", { query: { limit: PAGE_SIZE } });
      if (this.data.generation === generation) this.show(firstPage(page.items.map(courseCard), page.nextCursor));
    } catch (e) {
      if (this.data.generation === generation) this.show(failedList(messageOf(e)));
    }
  },

  async loadMore() {
    const state = this.data as ListState<CourseCard>;
    if (!canLoadMore(state) || !state.nextCursor) return;
    const generation = this.data.generation;
    this.show({ ...state, loadingMore: true, moreError: "" });
    try {
      const page = await api.get("/api/courses", { query: { limit: PAGE_SIZE, cursor: state.nextCursor } });
      if (this.data.generation === generation) this.show(appendPage(this.data as ListState<CourseCard>, page.items.map(courseCard), page.nextCursor));
    } catch (e) {
      if (this.data.generation === generation) this.show({ ...(this.data as ListState<CourseCard>), loadingMore: false, moreError: messageOf(e) });
    }
  },

  onFooterTap() {
    if (this.data.moreError) void this.loadMore();
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
