import { describe, expect, it } from "vitest";
import { MediaLinkSource, isExpiredLinkStatus, type MediaLink } from "../../../mini-program/miniprogram/lib/media-link";
import { RequestError } from "../../../mini-program/miniprogram/lib/problems";
import { clock, percentComplete, ProgressReporter, resumePosition, startLessonId } from "../../../mini-program/miniprogram/lib/progress";
import { checkout, paymentOutcome, waitUntilPaid, type Order, type PayParams } from "../../../mini-program/miniprogram/lib/purchase";

const payParams: PayParams = { timeStamp: "1", nonceStr: "n", package: "prepay_id=wx1", signType: "RSA", paySign: "s" };
const placed = { order: { id: "o1" }, payParams };

describe("paying for a course", () => {
  it("tells a cancelled cashier from a failed payment", () => {
    expect(paymentOutcome("requestPayment:ok")).toEqual({ ok: true });
    expect(paymentOutcome("requestPayment:fail cancel")).toMatchObject({ ok: false, cancelled: true });
    expect(paymentOutcome("requestPayment:fail (detail message)")).toMatchObject({ ok: false, cancelled: false });
  });

  it("orders with the tap's idempotency key, then opens the cashier with the server's parameters", async () => {
    const keys: string[] = [];
    const paid: PayParams[] = [];
    const result = await checkout(
      { placeOrder: async (_c, key) => (keys.push(key), placed), requestPayment: async (p) => (paid.push(p), { ok: true }) },
      "c1",
      "key-1",
    );
    expect(result).toEqual({ kind: "paying-confirmed", orderId: "o1" });
    expect(keys).toEqual(["key-1"]);
    expect(paid).toEqual([payParams]);
  });

  it("says 已取消支付 when the member closes the cashier, and keeps the order", async () => {
    const result = await checkout({ placeOrder: async () => placed, requestPayment: async () => paymentOutcome("requestPayment:fail cancel") }, "c1", "k");
    expect(result).toEqual({ kind: "cancelled", orderId: "o1", message: "已取消支付" });
  });

  it("explains a failed payment or order in Chinese", async () => {
    const failed = await checkout({ placeOrder: async () => placed, requestPayment: async () => paymentOutcome("requestPayment:fail system error") }, "c1", "k");
    expect(failed).toMatchObject({ kind: "failed", orderId: "o1" });
    expect((failed as { message: string }).message).toMatch(/支付失败/);
    const refused = await checkout(
      { placeOrder: async () => Promise.reject(RequestError.fromResponse(502, { type: "/problems/wechat-busy" })), requestPayment: async () => ({ ok: true }) },
      "c1",
      "k",
    );
    expect(refused).toEqual({ kind: "failed", orderId: null, message: "微信服务繁忙，请稍后重试" });
    const owned = await checkout(
      { placeOrder: async () => Promise.reject(RequestError.fromResponse(409, { type: "/problems/already-entitled" })), requestPayment: async () => ({ ok: true }) },
      "c1",
      "k",
    );
    expect(owned).toEqual({ kind: "owned", message: "你已拥有该课程" });
  });

  it("asks for the order until it is paid, a bounded number of times", async () => {
    const statuses: Order["status"][] = ["pending", "pending", "paid"];
    const slept: number[] = [];
    const fetchOrder = async () => ({ status: statuses.shift() ?? "paid" }) as Order;
    const settled = await waitUntilPaid(fetchOrder, { attempts: 5, intervalMs: 700, sleep: async (ms) => void slept.push(ms) });
    expect(settled.settled).toBe(true);
    expect(settled.order.status).toBe("paid");
    expect(slept).toEqual([700, 700]);

    let asked = 0;
    const stillPending = await waitUntilPaid(async () => (asked++, { status: "pending" }) as Order, { attempts: 4, sleep: async () => undefined });
    expect(stillPending.settled).toBe(false);
    expect(asked).toBe(4);
  });
});

describe("learning progress", () => {
  it("reports at most every 15 s while playing, and the latest position on hide", async () => {
    let now = 0;
    const sent: number[] = [];
    const reporter = new ProgressReporter(async (s) => void sent.push(s), () => now);
    await reporter.update(1.4);
    for (const t of [2, 5, 10, 14.9]) {
      now = t * 1000;
      await reporter.update(t);
    }
    expect(sent).toEqual([1]);
    now = 16_500;
    await reporter.update(16.5);
    expect(sent).toEqual([1, 16]);
    now = 20_000;
    await reporter.update(20.2);
    await reporter.flush();
    await reporter.flush();
    expect(sent).toEqual([1, 16, 20]);
  });

  it("sends the newest position after a report still on its way when the page hides", async () => {
    let now = 0;
    const sent: number[] = [];
    let release = () => {};
    const reporter = new ProgressReporter(
      (s) =>
        new Promise<void>((resolve) => {
          sent.push(s);
          release = resolve;
        }),
      () => now,
    );
    const first = reporter.update(10);
    now = 3_000;
    void reporter.update(13);
    const hidden = reporter.flush();
    expect(sent).toEqual([10]);
    release();
    await new Promise((r) => setTimeout(r));
    expect(sent).toEqual([10, 13]);
    release();
    await Promise.all([first, hidden]);
    expect(sent).toEqual([10, 13]);
  });

  it("sends a lost report again with the next position", async () => {
    let now = 0;
    let fail = true;
    const sent: number[] = [];
    const reporter = new ProgressReporter(async (s) => {
      if (fail) throw new Error("offline");
      sent.push(s);
    }, () => now);
    await reporter.update(30);
    fail = false;
    await reporter.flush();
    expect(sent).toEqual([30]);
  });

  it("resumes where the member stopped, from the start once finished", () => {
    expect(resumePosition({ positionSec: 95.6, completed: false }, 600)).toBe(95);
    expect(resumePosition({ positionSec: 598, completed: false }, 600)).toBe(0);
    expect(resumePosition({ positionSec: 600, completed: true }, 600)).toBe(0);
    expect(resumePosition(null, 600)).toBe(0);
  });

  it("starts with the first lesson not finished yet", () => {
    const done = { positionSec: 1, completed: true };
    expect(startLessonId([{ lessons: [{ id: "a", progress: done }] }, { lessons: [{ id: "b", progress: null }, { id: "c" }] }])).toBe("b");
    expect(startLessonId([{ lessons: [{ id: "a", progress: done }] }])).toBe("a");
    expect(startLessonId([])).toBeNull();
  });

  it("formats progress and clock time", () => {
    expect(percentComplete(1, 3)).toBe(33);
    expect(percentComplete(0, 0)).toBe(0);
    expect(clock(754)).toBe("12:34");
    expect(clock(3723)).toBe("1:02:03");
  });

  it("asks for a fresh media link once after the host refused one", async () => {
    let issued = 0;
    const source = new MediaLinkSource(async () => ({ url: `https://m/${++issued}` }) as MediaLink);
    expect((await source.first()).url).toBe("https://m/1");
    expect((await source.refresh())?.url).toBe("https://m/2");
    expect(await source.refresh()).toBeNull();
    expect([403, 410, 404, 200].map(isExpiredLinkStatus)).toEqual([true, true, false, false]);
  });
});
