// @vitest-environment jsdom
import "./support/node-realm";
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { installShop, sandboxPay } from "./support/shop-env";
import { seedShopCourse } from "./support/shop-seed";
import { buildMiniProgram, installWx, launchApp, renderPage, stateText, texts, until } from "./support/wx-env";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

/** A free local port, so the sandbox can be told the worker's notify URL before the worker starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      })
      .on("error", reject);
  });
}

function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(url.split("?")[1] ?? ""));
}

async function login(worker: Worker, openid: string) {
  const res = await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}` }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { token: string; member: { id: string } };
}

describe("buying and learning a course in the mini-program, paid through the WeChat sandbox", () => {
  let worker: Worker;
  beforeAll(async () => {
    const port = await freePort();
    [worker] = await Promise.all([startLocalWorker({ port, bindings: { NOTIFY_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: "warn" } }), buildMiniProgram()]);
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

  it("shows a refund in progress, then 已退款, and the course stops playing", async () => {
    const course = await seedShopCourse(worker, "shop-b", 9900);
    const buyer = await login(worker, "shop-refunded");
    const auth = { authorization: `Bearer ${buyer.token}`, "content-type": "application/json" };
    const placed = await worker.fetch("/api/orders", { method: "POST", headers: auth, body: JSON.stringify({ courseId: course.id }) });
    const { order } = (await placed.json()) as { order: { id: string } };
    expect((await sandboxPay(worker, order.id)).delivered).toBe(204);

    // An admin refunds it through WeChat Pay; the admin's token carries the role granted in the database.
    const adminLogin = await login(worker, "shop-admin");
    await worker.db.prepare(`update members set roles = '["admin"]' where id = ?`).bind(adminLogin.member.id).run();
    const admin = await login(worker, "shop-admin");
    const refunded = await worker.fetch(`/api/admin/orders/${order.id}/refund`, {
      method: "POST",
      headers: { authorization: `Bearer ${admin.token}`, "content-type": "application/json", "idempotency-key": `refund-${order.id}` },
      body: JSON.stringify({ reason: "学员申请退款" }),
    });
    expect(refunded.status).toBe(202);
    const { refund } = (await refunded.json()) as { refund: { id: string } };

    const wx = installWx(worker, { openid: "shop-refunded" });
    installShop(worker);
    launchApp();
    const orders = renderPage("pages/orders/index");
    orders.instance.onLoad({});
    await until(() => orders.querySelectorAll(".order").length === 1, "我的订单");
    expect(texts(orders, ".order .status")).toEqual(["退款中"]);
    expect(texts(orders, ".order .refund")).toEqual(["退款中 ¥99.00"]);

    // "WeChat finished the refund": the sandbox delivers REFUND.SUCCESS to the worker.
    const sandbox = await worker.mf.getWorker("wechat-sandbox");
    const settled = (await (await sandbox.fetch(`https://api.mch.weixin.qq.com/sandbox/refund/${refund.id}`, { method: "POST", body: "{}" })).json()) as { delivered: unknown };
    expect(settled.delivered).toBe(204);
    orders.instance.onPullDownRefresh();
    await until(() => texts(orders, ".order .status")[0] === "已退款", "the refunded order");
    expect(texts(orders, ".order .refund")).toEqual(["已退款 ¥99.00"]);

    const player = renderPage("pages/lesson/index");
    player.instance.onLoad({ id: course.lessons[1].id, courseId: course.id });
    await until(() => stateText(player).includes("重试"), "the refused lesson");
    expect(stateText(player)).toBe("开通课程后即可学习该课时重试");
    expect(wx.requests.some((r) => r.path === `/api/lessons/${course.lessons[1].id}/media` && r.status === 403)).toBe(true);

    const mine = renderPage("pages/my-courses/index");
    mine.instance.onLoad({});
    await until(() => mine.querySelector("#empty") != null, "我的课程 without it");
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

  it("hides the purchase on iOS: no price, no buy button, no order list", async () => {
    const course = await seedShopCourse(worker, "shop-e");
    const wx = installWx(worker, { openid: "shop-iphone" });
    installShop(worker, { platform: "ios" });
    launchApp();
    const detail = renderPage("pages/course/index");
    detail.instance.onLoad({ id: course.id });
    await until(() => texts(detail, ".title").length === 1, "the course");
    expect(texts(detail, ".ios-note")).toEqual(["由于相关规范，iOS 暂不支持此功能"]);
    expect(texts(detail, ".access")).toEqual([]);
    expect(texts(detail, ".head .price")).toEqual([]);
    expect(detail.dom.textContent).not.toMatch(/购买|¥/);
    detail.querySelectorAll(".lesson")[2].dispatchEvent("tap");
    await until(() => wx.toasts.length === 1, "the locked lesson's toast");
    expect(wx.toasts).toEqual(["暂未开放"]);

    // The trial lesson still plays.
    detail.querySelectorAll(".lesson")[0].dispatchEvent("tap");
    await until(() => wx.navigations.length === 1, "the trial lesson");
    const trial = renderPage("pages/lesson/index");
    trial.instance.onLoad(queryOf(wx.navigations[0]));
    await until(() => trial.instance.data.status === "ready", "the trial video");

    const me = renderPage("pages/me/index");
    me.instance.onLoad({});
    await until(() => me.querySelector(".my-courses") != null, "我的");
    expect(me.querySelector(".my-orders")).toBeFalsy();
    expect(wx.requests.some((r) => r.path === "/api/orders")).toBe(false);
  });

  it("lists orders 20 at a time, newest first, and more on scroll", async () => {
    const now = Date.now();
    const ids = Array.from({ length: 21 }, (_, i) => `shop-many-${String(i).padStart(2, "0")}`);
    await worker.db.batch(
      ids.flatMap((id, i) => [
        worker.db
          .prepare("insert into courses (id, title, price_fen, status, created_at, updated_at) values (?, ?, ?, 'published', ?, ?)")
          .bind(id, `第${i + 1}门课`, 100 + i, now, now),
        worker.db.prepare("insert into chapters (id, course_id, title, sort_order) values (?, ?, '第一章', 0)").bind(`${id}-ch`, id),
        worker.db
          .prepare("insert into lessons (id, course_id, chapter_id, title, kind, duration_sec, is_trial, sort_order) values (?, ?, ?, '第一课', 'video', 60, 0, 0)")
          .bind(`${id}-l`, id, `${id}-ch`),
      ]),
    );
    const buyer = await login(worker, "shop-collector");
    for (const id of ids) {
      const res = await worker.fetch("/api/orders", { method: "POST", headers: { authorization: `Bearer ${buyer.token}`, "content-type": "application/json" }, body: JSON.stringify({ courseId: id }) });
      expect(res.status).toBe(201);
    }

    installWx(worker, { openid: "shop-collector" });
    installShop(worker);
    launchApp();
    const orders = renderPage("pages/orders/index");
    orders.instance.onLoad({});
    await until(() => orders.querySelectorAll(".order").length === 20, "the first page");
    expect(texts(orders, ".order .title")[0]).toBe("第21门课");
    expect(new Set(texts(orders, ".order .status"))).toEqual(new Set(["待支付"]));
    expect(texts(orders, ".footer")).toEqual(["上拉加载更多"]);
    orders.instance.onReachBottom();
    await until(() => orders.querySelectorAll(".order").length === 21, "the second page");
    expect(texts(orders, ".order .title")[20]).toBe("第1门课");
    expect(texts(orders, ".order .amount")[20]).toBe("¥1.00");
    expect(texts(orders, ".footer")).toEqual(["没有更多了"]);
  });

  it("shows empty 我的课程 with a way home, and empty 我的订单", async () => {
    installWx(worker, { openid: "shop-newcomer" });
    const shop = installShop(worker);
    launchApp();
    const mine = renderPage("pages/my-courses/index");
    mine.instance.onLoad({});
    await until(() => mine.querySelector("#empty") != null, "the empty state");
    expect(texts(mine, ".empty-text")).toEqual(["还没有可学习的课程"]);
    mine.querySelector(".go-home")!.dispatchEvent("tap");
    await until(() => shop.tabs.length === 1, "home");
    expect(shop.tabs).toEqual(["/pages/index/index"]);

    const orders = renderPage("pages/orders/index");
    orders.instance.onLoad({});
    await until(() => stateText(orders) !== "加载中…", "the empty list");
    expect(stateText(orders)).toBe("还没有订单");
  });
});
