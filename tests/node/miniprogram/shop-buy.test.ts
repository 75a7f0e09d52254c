// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { installShop, queryOf, startShopWorker } from "./support/shop-env";
import { seedShopCourse } from "./support/shop-seed";
import { buildMiniProgram, installWx, launchApp, renderPage, stateText, texts, until } from "./support/wx-env";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

describe("buying and learning a course in the mini-program, paid through the WeChat sandbox", () => {
  let worker: Worker;
  beforeAll(async () => {
    [worker] = await Promise.all([startShopWorker(), buildMiniProgram()]);
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("buys, pays, learns the paid lessons with progress, and lists the course and the paid order", async () => {
    const course = await seedShopCourse(worker, "shop-a");
    const [, paidVideo, audioLesson, article] = course.lessons;
    const wx = installWx(worker, { openid: "shop-buyer" });
    const shop = installShop(worker);
    launchApp();

    const detail = renderPage("pages/course/index");
    detail.instance.onLoad({ id: course.id });
    await until(() => texts(detail, ".access").length === 1, "the course");
    expect(texts(detail, ".head .price")).toEqual(["¥199.00"]);
    expect(texts(detail, ".access")).toEqual(["立即购买 ¥199.00"]);
    detail.querySelectorAll(".lesson")[1].dispatchEvent("tap");
    await until(() => wx.toasts.length === 1, "the locked lesson's toast");
    expect(wx.toasts).toEqual(["购买后即可学习"]);

    detail.querySelector(".access")!.dispatchEvent("tap");
    await until(() => wx.navigations.some((u) => u.startsWith("/pages/pay-result/")), "the pay result page");
    const orderPost = wx.requests.find((r) => r.method === "POST" && r.path === "/api/orders");
    expect(orderPost?.status).toBe(201);
    const { orderId, courseId } = queryOf(wx.navigations.at(-1)!);
    expect(shop.payments.map((p) => p.orderId)).toEqual([orderId]);
    expect(courseId).toBe(course.id);

    const result = renderPage("pages/pay-result/index");
    result.instance.onLoad({ orderId, courseId });
    await until(() => texts(result, ".headline").length === 1, "the result");
    expect(texts(result, ".headline")).toEqual(["支付成功"]);
    expect(texts(result, ".detail")).toEqual([`${course.title} · ¥199.00`]);
    result.querySelector(".start")!.dispatchEvent("tap");
    await until(() => shop.redirects.length === 1, "start learning");
    expect(shop.redirects[0]).toBe(`/pages/lesson/index?id=${course.lessons[0].id}&courseId=${course.id}`);

    // Back on the course page: it is the member's now, and the paid lessons open.
    detail.instance.onShow();
    await until(() => texts(detail, ".access")[0] === "已购买，开始学习", "the owned course");
    expect(texts(detail, ".badge.locked")).toEqual([]);
    detail.querySelectorAll(".lesson")[1].dispatchEvent("tap");
    await until(() => wx.navigations.some((u) => u.includes(paidVideo.id)), "opening the paid lesson");

    // The video player: a signed link the media host serves, progress every 15 s and on hide.
    const player = renderPage("pages/lesson/index");
    player.instance.onLoad(queryOf(wx.navigations.at(-1)!));
    await until(() => player.instance.data.status === "ready", "the video");
    expect(player.instance.data.kind).toBe("video");
    expect(texts(player, ".title")).toEqual(["执笔与运笔"]);
    const media = await fetch(worker.url + new URL(player.instance.data.src).pathname + new URL(player.instance.data.src).search);
    expect(media.status).toBe(200);
    expect(await media.text()).toBe(paidVideo.body);

    const progressPosts = () => wx.requests.filter((r) => r.method === "POST" && r.path === `/api/lessons/${paidVideo.id}/progress`);
    player.instance.onTimeUpdate({ detail: { currentTime: 42.3 } });
    await until(() => progressPosts().length === 1, "the first progress report");
    player.instance.onTimeUpdate({ detail: { currentTime: 50.8 } });
    player.instance.onHide();
    await until(() => progressPosts().length === 2, "the report on hide");
    expect(progressPosts().map((r) => r.status)).toEqual([200, 200]);
    const saved = await worker.db.prepare("select position_sec from lesson_progress where lesson_id = ?").bind(paidVideo.id).first<{ position_sec: number }>();
    expect(saved?.position_sec).toBe(50);

    // An expired link is replaced once (a fresh link from the worker, resuming at the same place); a second failure is shown.
    const linkRequests = () => wx.requests.filter((r) => r.path === `/api/lessons/${paidVideo.id}/media`);
    expect(linkRequests()).toHaveLength(1);
    await player.instance.onMediaError();
    expect(linkRequests()).toHaveLength(2);
    expect(player.instance.data.src).toMatch(/\/media\/.+\?exp=\d+&sig=/);
    expect(player.instance.data.resumeSec).toBe(50);
    await player.instance.onMediaError();
    expect(stateText(player)).toBe("播放失败，请稍后重试重试");

    // Opening it again resumes where the member stopped.
    const again = renderPage("pages/lesson/index");
    again.instance.onLoad({ id: paidVideo.id, courseId: course.id });
    await until(() => again.instance.data.status === "ready", "the video again");
    expect(again.instance.data.resumeSec).toBe(50);
    expect(texts(again, ".resume")).toEqual(["从上次的 0:50 继续学习"]);

    // Audio with its own controls.
    const listen = renderPage("pages/lesson/index");
    listen.instance.onLoad({ id: audioLesson.id, courseId: course.id });
    await until(() => listen.instance.data.status === "ready", "the audio lesson");
    expect(shop.audio?.src).toBe(listen.instance.data.src);
    listen.querySelector(".toggle")!.dispatchEvent("tap");
    await until(() => texts(listen, ".toggle")[0] === "暂停", "playing");
    shop.audio!.currentTime = 12;
    shop.audio!.emit("timeupdate");
    await until(() => texts(listen, ".time")[0]?.startsWith("0:12"), "the position");
    expect(texts(listen, ".time")).toEqual(["0:12 / 5:00"]);
    listen.instance.onUnload();
    expect(shop.audio!.destroyed).toBe(true);
    await until(() => wx.requests.some((r) => r.path === `/api/lessons/${audioLesson.id}/progress` && r.status === 200), "the audio progress");

    // An article, fetched from its link: a link the host refuses is renewed once.
    const realRequest = (globalThis as any).wx.request;
    let tampered = 0;
    (globalThis as any).wx.request = (opts: { url: string }) =>
      realRequest({ ...opts, url: opts.url.includes("/media/") && tampered++ === 0 ? opts.url.replace(/sig=[^&]+/, "sig=expired") : opts.url });
    const read = renderPage("pages/lesson/index");
    read.instance.onLoad({ id: article.id, courseId: course.id });
    await until(() => read.instance.data.status !== "loading", "the article");
    (globalThis as any).wx.request = realRequest;
    expect(read.instance.data.status).toBe("ready");
    expect(wx.requests.filter((r) => r.path.startsWith("/media/") && r.status === 403)).toHaveLength(1);
    expect(read.instance.data.html).toContain("<h1>课后练习</h1>");
    expect(read.instance.data.html).toContain("<strong>三十分钟</strong>");
    await until(() => wx.requests.some((r) => r.path === `/api/lessons/${article.id}/progress` && r.status === 200), "the article marked as read");

    // 我的 → 我的课程 → 我的订单.
    const me = renderPage("pages/me/index");
    me.instance.onLoad({});
    await until(() => me.querySelector(".my-courses") != null, "我的");
    me.querySelector(".my-courses")!.dispatchEvent("tap");
    await until(() => wx.navigations.at(-1) === "/pages/my-courses/index", "to 我的课程");
    const mine = renderPage("pages/my-courses/index");
    mine.instance.onLoad({});
    await until(() => mine.querySelectorAll(".card").length === 1, "我的课程");
    expect(texts(mine, ".card .title")).toEqual([course.title]);
    expect(texts(mine, ".card .access")).toEqual(["已购买"]);
    expect(texts(mine, ".card .progress")).toEqual(["已学 1/4 节 · 25%"]);

    me.querySelector(".my-orders")!.dispatchEvent("tap");
    await until(() => wx.navigations.at(-1) === "/pages/orders/index", "to 我的订单");
    const orders = renderPage("pages/orders/index");
    orders.instance.onLoad({});
    await until(() => orders.querySelectorAll(".order").length === 1, "我的订单");
    expect(texts(orders, ".order .status")).toEqual(["已支付"]);
    expect(texts(orders, ".order .amount")).toEqual(["¥199.00"]);
    expect(orders.querySelectorAll(".pay")).toHaveLength(0);
  });

  it("keeps a cancelled order pending and pays the same order later from 我的订单", async () => {
    const course = await seedShopCourse(worker, "shop-c");
    const wx = installWx(worker, { openid: "shop-hesitant" });
    const shop = installShop(worker);
    shop.cashier = "cancel";
    launchApp();
    const detail = renderPage("pages/course/index");
    detail.instance.onLoad({ id: course.id });
    await until(() => texts(detail, ".access").length === 1, "the course");
    detail.querySelector(".access")!.dispatchEvent("tap");
    await until(() => wx.toasts.length === 1, "the cancel message");
    expect(wx.toasts).toEqual(["已取消支付"]);
    expect(wx.navigations).toEqual([]);
    const pending = await worker.db.prepare("select o.id, o.status from orders o join members m on m.id = o.member_id where m.openid = ?").bind("shop-hesitant").all<{ id: string; status: string }>();
    expect(pending.results).toEqual([{ id: shop.payments[0].orderId, status: "pending" }]);

    shop.cashier = "fail";
    detail.querySelector(".access")!.dispatchEvent("tap");
    await until(() => wx.toasts.length === 2, "the failure message");
    expect(wx.toasts[1]).toBe("支付失败，请稍后在“我的订单”中重新支付");

    const orders = renderPage("pages/orders/index");
    orders.instance.onLoad({});
    await until(() => orders.querySelectorAll(".order").length === 1, "我的订单");
    expect(texts(orders, ".order .status")).toEqual(["待支付"]);
    expect(texts(orders, ".pay")).toEqual(["去支付"]);
    shop.cashier = "pay";
    orders.querySelector(".pay")!.dispatchEvent("tap");
    await until(() => wx.navigations.some((u) => u.startsWith("/pages/pay-result/")), "the pay result page");
    expect(queryOf(wx.navigations.at(-1)!).orderId).toBe(shop.payments[0].orderId);
    expect(new Set(shop.payments.map((p) => p.orderId)).size).toBe(1);
    const paid = await worker.db.prepare("select count(*) as n, max(status) as status from orders o join members m on m.id = o.member_id where m.openid = ?").bind("shop-hesitant").first<{ n: number; status: string }>();
    expect(paid).toEqual({ n: 1, status: "paid" });
  });

  it("says 待确认 while WeChat's notification is late, and 支付成功 once it arrives", async () => {
    const course = await seedShopCourse(worker, "shop-d");
    const wx = installWx(worker, { openid: "shop-patient" });
    const shop = installShop(worker);
    shop.cashier = "pay-late";
    launchApp();
    const detail = renderPage("pages/course/index");
    detail.instance.onLoad({ id: course.id });
    await until(() => texts(detail, ".access").length === 1, "the course");
    detail.querySelector(".access")!.dispatchEvent("tap");
    await until(() => wx.navigations.some((u) => u.startsWith("/pages/pay-result/")), "the pay result page");

    const result = renderPage("pages/pay-result/index");
    result.instance.onLoad(queryOf(wx.navigations.at(-1)!));
    expect(stateText(result)).toBe("加载中…");
    await until(() => texts(result, ".headline").length === 1, "the bounded wait", 15_000);
    expect(texts(result, ".headline")).toEqual(["支付结果待确认"]);
    const polls = wx.requests.filter((r) => r.path.startsWith("/api/orders/"));
    expect(polls.length).toBe(6);

    const [held] = shop.heldNotifications;
    const delivered = await worker.fetch("/api/pay/notify", { method: "POST", headers: held.headers, body: held.body });
    expect(delivered.status).toBe(204);
    result.querySelector(".check")!.dispatchEvent("tap");
    await until(() => texts(result, ".headline")[0] === "支付成功", "the confirmed payment");
  }, 30_000);

});
