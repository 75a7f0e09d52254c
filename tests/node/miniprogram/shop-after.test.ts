// @vitest-environment jsdom
import "./support/node-realm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { installShop, login, queryOf, sandboxPay, startShopWorker } from "./support/shop-env";
import { seedShopCourse } from "./support/shop-seed";
import { buildMiniProgram, installWx, launchApp, renderPage, stateText, texts, until } from "./support/wx-env";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

describe("the mini-program's orders and courses after buying: refunds, iOS, paging, empty states", () => {
  let worker: Worker;
  beforeAll(async () => {
    [worker] = await Promise.all([startShopWorker(), buildMiniProgram()]);
  }, 60_000);
  afterAll(() => worker?.dispose());

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
