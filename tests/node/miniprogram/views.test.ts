import { describe, expect, it } from "vitest";
import { courseCard, courseDetailView, formatDuration, type CourseDetail } from "../../../mini-program/miniprogram/lib/course-view";
import { API_BASE_URL } from "../../../mini-program/miniprogram/config";
import { profileView } from "../../../mini-program/miniprogram/lib/profile-view";
import type { MemberProfile } from "../../../mini-program/miniprogram/lib/session";
import { shareMessage, shareTimeline } from "../../../mini-program/miniprogram/lib/share";
import { tierLabel } from "../../../mini-program/miniprogram/lib/tier";

const detail = (over: Partial<CourseDetail>): CourseDetail =>
  ({
    id: "c1",
    title: "国画",
    subtitle: "",
    coverUrl: "",
    instructor: "王老师",
    priceFen: 9900,
    description: "",
    entitled: false,
    access: null,
    chapters: [
      {
        id: "ch1",
        title: "第一章",
        lessons: [
          { id: "l1", title: "试看课", kind: "video", durationSec: 75, isTrial: true },
          { id: "l2", title: "正课", kind: "audio", durationSec: 3723, isTrial: false },
        ],
      },
    ],
    ...over,
  }) as CourseDetail;

describe("what the pages show", () => {
  it("formats lesson durations", () => {
    expect([0, 59, 75, 600, 3723].map(formatDuration)).toEqual(["", "0:59", "1:15", "10:00", "1:02:03"]);
  });

  it("marks trial lessons 试看 and locks the rest until the course is bought", () => {
    const view = courseDetailView(detail({}));
    expect(view.chapters[0].lessons.map((l) => [l.trial, l.locked, l.meta])).toEqual([
      [true, false, "视频 · 1:15"],
      [false, true, "音频 · 1:02:03"],
    ]);
    expect([view.priceLabel, view.accessLabel, view.lessonCount]).toEqual(["¥99.00", "购买 ¥99.00", "共 2 节"]);
    const bought = courseDetailView(detail({ entitled: true, access: "order" }));
    expect([bought.ownedLabel, bought.accessLabel, bought.chapters[0].lessons[1].locked]).toEqual(["已购买", "已购买", false]);
    expect(courseDetailView(detail({ entitled: true, access: "tier" })).ownedLabel).toBe("已开通");
  });

  it("calls a free course 免费", () => {
    const view = courseDetailView(detail({ priceFen: 0, entitled: true, access: "free" }));
    expect([view.priceLabel, view.ownedLabel, view.accessLabel, view.chapters[0].lessons[1].locked]).toEqual(["免费", "", "免费学习", false]);
    expect(courseCard({ ...detail({ priceFen: 0 }) }).priceLabel).toBe("免费");
  });

  it("shows an uploaded cover (a path on the worker) from the worker's address, other covers as they are", () => {
    const base = API_BASE_URL.replace(/\/$/, "");
    const cover = `/media/covers/${"ab".repeat(32)}.png`;
    expect(courseCard(detail({ coverUrl: cover })).coverUrl).toBe(`${base}${cover}`);
    expect(courseCard(detail({ coverUrl: "https://cdn.example.com/a.jpg" })).coverUrl).toBe("https://cdn.example.com/a.jpg");
    expect(courseCard(detail({ coverUrl: "" })).coverUrl).toBe("");
  });

  it("names tiers in Chinese", () => {
    expect(["member", "promoter", "channel_partner", "shareholder"].map(tierLabel)).toEqual(["会员", "推广员", "渠道合伙人", "股东合伙人"]);
  });

  it("shows the referrer, or says there is none", () => {
    const member = { nickname: "", avatarUrl: "", tier: "channel_partner", inviteCode: "SELF2345", referrer: null } as unknown as MemberProfile;
    expect(profileView(member, null)).toMatchObject({ nickname: "微信用户", tierLabel: "渠道合伙人", referrerLabel: "暂无推荐人", inviteCode: "SELF2345" });
    const referred = { ...member, referrer: { id: "r", nickname: "老李", avatarUrl: "" } } as MemberProfile;
    expect(profileView(referred, null).referrerLabel).toBe("老李");
  });

  it("shares pages with the member's invite code", () => {
    expect(shareMessage("/pages/course/index", { id: "c 1" }, "K7P3QW9M", "国画")).toEqual({ title: "国画", path: "/pages/course/index?id=c%201&inviteCode=K7P3QW9M" });
    expect(shareMessage("/pages/index/index", {}, null).path).toBe("/pages/index/index");
    expect(shareTimeline({}, "K7P3QW9M").query).toBe("inviteCode=K7P3QW9M");
  });
});
