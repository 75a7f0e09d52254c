import { describe, expect, it } from "vitest";
import { articleHtml, markdownToHtml } from "../../../mini-program/miniprogram/lib/article";
import { myCourseCard, type MyCourse } from "../../../mini-program/miniprogram/lib/my-course-view";
import { formatBeijingTime, orderRow, orderStatusLabel, type Order } from "../../../mini-program/miniprogram/lib/order-view";
import { IOS_NOTE, purchaseAction } from "../../../mini-program/miniprogram/lib/purchase";

const order = (over: Partial<Order>): Order => ({
  id: "o1",
  kind: "course",
  subjectId: "c1",
  courseId: "c1",
  description: "国画入门",
  amountFen: 9900,
  status: "paid",
  refundedFen: 0,
  refundingFen: 0,
  createdAt: "2026-11-25T09:05:00.000Z",
  expiresAt: "2026-11-25T11:05:00.000Z",
  paidAt: null,
  closedAt: null,
  ...over,
});

const android = { platform: "android", virtualPaymentOnIOS: false };
const ios = { platform: "ios", virtualPaymentOnIOS: false };

describe("what the shop pages show", () => {
  it("names every order status in Chinese", () => {
    expect(["pending", "paid", "refunding", "refunded", "closed"].map(orderStatusLabel)).toEqual(["待支付", "已支付", "退款中", "已退款", "已关闭"]);
    expect(orderStatusLabel("something-new")).toBe("处理中");
  });

  it("shows an order's amount, refunds in ¥ and Beijing time", () => {
    const row = orderRow(order({ status: "refunding", refundedFen: 3000, refundingFen: 6900 }));
    expect(row).toMatchObject({ amountLabel: "¥99.00", statusLabel: "退款中", refundLabel: "已退款 ¥30.00，退款中 ¥69.00", timeLabel: "下单时间 2026-11-25 17:05" });
    expect(orderRow(order({ status: "paid" })).refundLabel).toBe("");
    expect(formatBeijingTime("2026-12-31T16:30:00.000Z")).toBe("2027-01-01 00:30");
    expect(formatBeijingTime(null)).toBe("");
  });

  it("offers to pay again only a pending order that has not expired", () => {
    const now = Date.parse("2026-11-25T10:00:00.000Z");
    expect(orderRow(order({ status: "pending" }), now).payable).toBe(true);
    expect(orderRow(order({ status: "pending" }), Date.parse("2026-11-25T12:00:00.000Z")).payable).toBe(false);
    expect(orderRow(order({ status: "closed" }), now).payable).toBe(false);
    expect(orderRow(order({ status: "paid" }), now).payable).toBe(false);
  });

  it("offers to buy a priced course with its price, and to learn an owned or free one", () => {
    expect(purchaseAction({ priceFen: 9900, entitled: false }, android)).toEqual({ kind: "buy", label: "立即购买 ¥99.00" });
    expect(purchaseAction({ priceFen: 9900, entitled: true, access: "order" }, android)).toEqual({ kind: "learn", label: "已购买，开始学习" });
    expect(purchaseAction({ priceFen: 9900, entitled: true, access: "tier" }, android)).toEqual({ kind: "learn", label: "已开通，开始学习" });
    expect(purchaseAction({ priceFen: 0, entitled: false }, android)).toEqual({ kind: "learn", label: "免费学习" });
  });

  it("never offers to buy on iOS unless virtual payment is configured, and says nothing of paying there", () => {
    expect(purchaseAction({ priceFen: 9900, entitled: false }, ios)).toEqual({ kind: "blocked", label: IOS_NOTE });
    expect(IOS_NOTE).not.toMatch(/购|买|付|支付|¥/);
    expect(purchaseAction({ priceFen: 9900, entitled: true, access: "order" }, ios)).toEqual({ kind: "learn", label: "开始学习" });
    expect(purchaseAction({ priceFen: 0, entitled: false }, ios).kind).toBe("learn");
    expect(purchaseAction({ priceFen: 9900, entitled: false }, { platform: "ios", virtualPaymentOnIOS: true }).kind).toBe("buy");
    expect(purchaseAction({ priceFen: 9900, entitled: false }, { platform: "devtools", virtualPaymentOnIOS: false }).kind).toBe("buy");
  });

  it("shows how far the member got in each of their courses", () => {
    const item = (completedLessons: number, lastLessonId: string | null): MyCourse =>
      ({
        course: { id: "c1", title: "国画", subtitle: "", coverUrl: "", instructor: "王老师", priceFen: 9900, lessonCount: 8, trialLessonCount: 1, sortOrder: 0 },
        access: "order",
        progress: { completedLessons, lastLessonId, lastLearnedAt: null },
      }) as MyCourse;
    expect(myCourseCard(item(3, "l4"))).toMatchObject({ percent: 38, progressLabel: "已学 3/8 节 · 38%", accessLabel: "已购买", lastLessonId: "l4" });
    expect(myCourseCard(item(0, null))).toMatchObject({ percent: 0, progressLabel: "未开始学习", lastLessonId: "" });
    expect(myCourseCard(item(0, "l1")).progressLabel).toBe("已学 0/8 节 · 0%");
    expect(myCourseCard(item(3, "l4"), true).accessLabel).toBe("已开通");
  });

  it("renders an article's Markdown safely for <rich-text>", () => {
    expect(markdownToHtml("# 认识笔墨\n\n第一段\n第二行 **重点**\n\n- 笔\n- 墨 <script>")).toBe(
      "<h1>认识笔墨</h1><p>第一段<br/>第二行 <strong>重点</strong></p><ul><li>笔</li><li>墨 &lt;script&gt;</li></ul>",
    );
    expect(articleHtml("a < b\n\nc", "text/plain; charset=utf-8")).toBe("<p>a &lt; b</p><p>c</p>");
    expect(articleHtml("<p>原样</p>", "text/html")).toBe("<p>原样</p>");
  });
});
