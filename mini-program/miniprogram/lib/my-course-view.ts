/** What 我的课程 shows for each course (GET /api/me/courses). */
import type { ResponseOf } from "./api-types";
import { apiUrl } from "./api-url";
import { percentComplete } from "./progress";

export type MyCourse = ResponseOf<"/api/me/courses">["items"][number];

const ACCESS_LABELS: Record<string, string> = { order: "已购买", tier: "会员权益", admin: "已开通", free: "免费课" };

export type MyCourseCard = {
  id: string;
  title: string;
  coverUrl: string;
  instructor: string;
  accessLabel: string;
  percent: number;
  progressLabel: string;
  lastLessonId: string;
};

/** `purchaseBlocked`: on iOS without virtual payment even 已购买 may not be shown (see config.ts). */
export function myCourseCard(item: MyCourse, purchaseBlocked = false): MyCourseCard {
  const total = item.course.lessonCount;
  const done = Math.min(item.progress.completedLessons, total);
  const percent = percentComplete(done, total);
  return {
    id: item.course.id,
    title: item.course.title,
    coverUrl: apiUrl(item.course.coverUrl),
    instructor: item.course.instructor,
    accessLabel: purchaseBlocked && item.access === "order" ? "已开通" : (ACCESS_LABELS[item.access] ?? ""),
    percent,
    progressLabel: done === 0 && !item.progress.lastLessonId ? "未开始学习" : `已学 ${done}/${total} 节 · ${percent}%`,
    lastLessonId: item.progress.lastLessonId ?? "",
  };
}
