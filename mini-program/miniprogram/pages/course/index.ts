import { courseDetailView, type CourseDetailView } from "../../lib/course-view";
import { messageOf } from "../../lib/problems";
import { decodeQueryValue } from "../../lib/query";
import { api, session } from "../../lib/services";
import { shareMessage, shareTimeline } from "../../lib/share";

type Status = "loading" | "ready" | "error";

/** 课程详情: chapters and lessons (trial lessons marked 试看), price, and whether the member owns it. */
Page({
  data: { status: "loading" as Status, message: "", id: "", course: null as CourseDetailView | null },

  onLoad(query: Record<string, string | undefined>) {
    this.setData({ id: decodeQueryValue(query.id) });
    void this.load();
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
      // Logged in or not, the course shows; with a token it also says whether the member owns it.
      await session.ensureLogin().catch(() => undefined);
      const course = courseDetailView(await api.get("/api/courses/{id}", { path: { id: this.data.id } }));
      this.setData({ status: "ready", course });
      void wx.setNavigationBarTitle({ title: course.title });
    } catch (e) {
      this.setData({ status: "error", message: messageOf(e) });
    }
  },

  onAccessTap() {
    const course = this.data.course;
    if (!course || course.ownedLabel || course.free) return;
    void wx.showToast({ title: "购买功能即将开放", icon: "none" });
  },

  onShareAppMessage() {
    return shareMessage("/pages/course/index", { id: this.data.id }, session.cachedInvite()?.inviteCode, this.data.course?.title);
  },

  onShareTimeline() {
    return shareTimeline({ id: this.data.id }, session.cachedInvite()?.inviteCode, this.data.course?.title);
  },
});
