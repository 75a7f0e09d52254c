// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { seedCatalog, type SeededCourse } from "./support/seed";
import { buildMiniProgram, installWx, launchApp, renderPage, stateText, texts, until } from "./support/wx-env";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

async function loginAs(worker: Worker, openid: string, nickname: string) {
  const res = await worker.fetch("/api/auth/wechat", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ code: `sandbox:${openid}` }),
  });
  expect(res.status).toBe(200);
  const { member } = (await res.json()) as { member: { id: string; inviteCode: string } };
  await worker.db.prepare("update members set nickname = ? where id = ?").bind(nickname, member.id).run();
  return member;
}

describe("the mini-program against the real worker and local D1", () => {
  let worker: Worker;
  let courses: SeededCourse[];
  beforeAll(async () => {
    [worker] = await Promise.all([startLocalWorker(), buildMiniProgram()]);
    courses = await seedCatalog(worker.db, 12);
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("logs in on launch through a scanned code, lists courses on scroll and opens one", async () => {
    const referrer = await loginAs(worker, "mp-referrer", "推荐人小王");
    const wx = installWx(worker, { openid: "mp-scanner" });
    launchApp({ scene: encodeURIComponent(`i=${referrer.inviteCode}`) });

    const home = renderPage("pages/index/index");
    home.instance.onLoad({});
    expect(stateText(home)).toBe("加载中…");
    await until(() => home.querySelectorAll(".card").length === 10, "the first page of courses");
    expect(texts(home, ".card .title")).toEqual(courses.slice(0, 10).map((c) => c.title));
    expect(texts(home, ".card .price").slice(0, 3)).toEqual(["¥99.00", "免费", "¥101.00"]);
    expect(texts(home, ".footer")).toEqual(["上拉加载更多"]);

    home.instance.onReachBottom();
    await until(() => home.querySelectorAll(".card").length === 12, "the second page");
    expect(texts(home, ".footer")).toEqual(["没有更多了"]);
    expect(texts(home, ".card .title")).not.toContain("未发布的草稿课");

    home.querySelectorAll(".card")[0].dispatchEvent("tap");
    await until(() => wx.navigations.length === 1, "navigation to the course");
    expect(wx.navigations[0]).toBe(`/pages/course/index?id=${courses[0].id}`);

    const detail = renderPage("pages/course/index");
    detail.instance.onLoad({ id: courses[0].id });
    await until(() => texts(detail, ".title").length === 1, "the course");
    expect(texts(detail, ".title")).toEqual([courses[0].title]);
    expect(texts(detail, ".head .price")).toEqual(["¥99.00"]);
    expect(texts(detail, ".badge.trial")).toEqual(["试看"]);
    expect(texts(detail, ".badge.locked")).toEqual(["未解锁", "未解锁"]);
    expect(texts(detail, ".lesson-meta")).toEqual(["视频 · 10:15", "视频 · 1:02:03", "图文"]);
    expect(texts(detail, ".access")).toEqual(["立即购买 ¥99.00"]);
    expect(texts(detail, ".row .owned")).toEqual([]);

    // One login for the whole launch, carrying the scene; the member is now bound to the referrer.
    expect(wx.logins).toBe(1);
    const me = await worker.db
      .prepare("select m.id, r.openid as referrer from members m left join members r on r.id = m.referrer_id where m.openid = ?")
      .bind("mp-scanner")
      .first<{ id: string; referrer: string | null }>();
    expect(me?.referrer).toBe("mp-referrer");
    expect(wx.requests.filter((r) => r.path.startsWith("/api/courses/")).every((r) => r.authorization?.startsWith("Bearer "))).toBe(true);

    // Once bought, the same page says so.
    await worker.db
      .prepare("insert into entitlements (member_id, course_id, source, order_id, granted_at) values (?, ?, 'order', 'order-test-1', ?)")
      .bind(me!.id, courses[0].id, Date.now())
      .run();
    const again = renderPage("pages/course/index");
    again.instance.onLoad({ id: courses[0].id });
    await until(() => texts(again, ".row .owned").length === 1, "the entitled state");
    expect(texts(again, ".access")).toEqual(["已购买，开始学习"]);
    expect(texts(again, ".badge.locked")).toEqual([]);
  });

  it("shows 我的 with tier, referrer and invite code, and shares with that code", async () => {
    const referrer = await loginAs(worker, "mp-sharer", "老李");
    const wx = installWx(worker, { openid: "mp-friend" });
    launchApp({ inviteCode: referrer.inviteCode });
    await until(() => wx.storage.has("session.token"), "the login on launch");
    await worker.db.prepare("update members set tier = 'channel_partner' where openid = ?").bind("mp-friend").run();

    const mine = renderPage("pages/me/index");
    mine.instance.onLoad({});
    await until(() => mine.querySelector(".invite-code") != null, "the profile");
    const own = await worker.db.prepare("select invite_code from members where openid = ?").bind("mp-friend").first<{ invite_code: string }>();
    expect(texts(mine, ".tier")).toEqual(["渠道合伙人"]);
    expect(texts(mine, ".referrer")).toEqual(["老李"]);
    expect(texts(mine, ".invite-code")).toEqual([own!.invite_code]);

    expect(mine.instance.onShareAppMessage()).toEqual({ title: "邀请你加入知识社群", path: `/pages/index/index?inviteCode=${own!.invite_code}` });
    expect(mine.instance.onShareTimeline()).toEqual({ title: "邀请你加入知识社群", query: `inviteCode=${own!.invite_code}` });
    const home = renderPage("pages/index/index");
    expect(home.instance.onShareAppMessage().path).toBe(`/pages/index/index?inviteCode=${own!.invite_code}`);

    mine.querySelector(".invite-code")!.dispatchEvent("tap");
    await until(() => wx.clipboard === own!.invite_code, "the code copied");
  });

  it("binds the code of a share link opened by a member who is already logged in", async () => {
    const referrer = await loginAs(worker, "mp-inviter", "老张");
    const wx = installWx(worker, { openid: "mp-regular" });
    launchApp();
    await until(() => wx.storage.has("session.token"), "the first login");

    launchApp({ inviteCode: referrer.inviteCode.toLowerCase() });
    await until(() => wx.requests.some((r) => r.path === "/api/me/referrer" && r.status === 200), "the binding");
    expect(wx.logins).toBe(1);
    const bound = await worker.db
      .prepare("select r.openid as referrer from members m join members r on r.id = m.referrer_id where m.openid = ?")
      .bind("mp-regular")
      .first<{ referrer: string }>();
    expect(bound?.referrer).toBe("mp-inviter");
  });

  it("logs in again when the stored token is refused, and retries once", async () => {
    const wx = installWx(worker, { openid: "mp-returning" });
    wx.storage.set("session.token", "expired.or.forged");
    const app = launchApp();
    expect(app).toBeTruthy();

    const mine = renderPage("pages/me/index");
    mine.instance.onLoad({});
    await until(() => mine.querySelector(".invite-code") != null, "the profile after a new login");
    expect(wx.logins).toBe(1);
    expect(wx.requests.some((r) => r.status === 401)).toBe(true);
    expect(wx.storage.get("session.token")).not.toBe("expired.or.forged");
  });

  it("shows the error state with a retry button when the network is down, then recovers", async () => {
    const wx = installWx(worker, { openid: "mp-offline" });
    launchApp();
    wx.offline = true;
    const home = renderPage("pages/index/index");
    home.instance.onLoad({});
    await until(() => stateText(home).includes("重试"), "the error state");
    expect(stateText(home)).toBe("网络异常，请稍后重试重试");
    // A GET is tried three times before the page gives up.
    expect(wx.requests.filter((r) => r.path.startsWith("/api/courses") && r.status === 0)).toHaveLength(3);

    wx.offline = false;
    home.querySelector("#state")!.querySelector(".retry")!.dispatchEvent("tap");
    await until(() => home.querySelectorAll(".card").length === 10, "the list after retrying");
  });

  it("opens a free course with every lesson open", async () => {
    installWx(worker, { openid: "mp-free-learner" });
    launchApp();
    const free = courses.find((c) => c.priceFen === 0)!;
    const detail = renderPage("pages/course/index");
    detail.instance.onLoad({ id: free.id });
    await until(() => texts(detail, ".title").length === 1, "the course");
    expect(texts(detail, ".head .price")).toEqual(["免费"]);
    expect(texts(detail, ".access")).toEqual(["免费学习"]);
    expect(texts(detail, ".badge.trial")).toEqual(["试看"]);
    expect(texts(detail, ".badge.locked")).toEqual([]);
  });

  it("says a missing course does not exist", async () => {
    installWx(worker, { openid: "mp-lost" });
    launchApp();
    const detail = renderPage("pages/course/index");
    detail.instance.onLoad({ id: "no-such-course" });
    await until(() => stateText(detail).includes("重试"), "the error state");
    expect(stateText(detail)).toBe("内容不存在或已下架重试");
  });
});
