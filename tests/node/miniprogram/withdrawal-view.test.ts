import { describe, expect, it } from "vitest";
import { confirmReceipt, feeOf, parseYuan, preview, rulesText, withdrawalRow, type Overview, type Withdrawal } from "../../../mini-program/miniprogram/lib/withdrawal";

const rules = { minimumFen: 100, feeBps: 100, feeFreeFromFen: 100_000, dailyCount: 3, dailyAmountFen: 5_000_000, secondApprovalFromFen: 500_000 };
const overview = (o: Partial<Overview> = {}): Overview => ({
  availableFen: 300_000, commissionAvailableFen: 300_000, dividendsAvailableFen: 0, inFlightFen: 0, rules, today: { count: 0, amountFen: 0 }, realNameRequiredFromFen: 200_000, realNameMasked: null, ...o,
});

describe("the 提现 screen's arithmetic", () => {
  it("reads yuan on the digits, never through a float", () => {
    expect([parseYuan("12"), parseYuan("12.3"), parseYuan("12.30"), parseYuan("0.01"), parseYuan(" 1.1 ")]).toEqual([1200, 1230, 1230, 1, 110]);
    expect([parseYuan("12.345"), parseYuan("-1"), parseYuan("1e3"), parseYuan("abc"), parseYuan("")]).toEqual([null, null, null, null, null]);
  });

  it("previews the fee like the worker: 1% rounded down, none from the threshold on", () => {
    expect(feeOf(rules, 199)).toBe(1);
    expect(feeOf(rules, 99_999)).toBe(999);
    expect(feeOf(rules, 100_000)).toBe(0);
    expect(preview(overview(), "100")).toMatchObject({ ok: true, feeFen: 100, netFen: 9_900, label: "手续费 ¥1.00，实际到账 ¥99.00" });
    expect(rulesText(rules)).toBe("最低 ¥1.00；手续费 1%，满 ¥1,000.00 免手续费；每日最多 3 次、¥50,000.00");
  });

  it("says what stands in the way before asking the worker", () => {
    expect(preview(overview(), "0.5")).toEqual({ ok: false, message: "最低提现 ¥1.00" });
    expect(preview(overview({ availableFen: 1_000 }), "11")).toEqual({ ok: false, message: "可提现余额 ¥10.00" });
    expect(preview(overview({ today: { count: 3, amountFen: 300 } }), "1")).toMatchObject({ ok: false, message: "今日提现次数已用完（每日 3 次）" });
    expect(preview(overview({ today: { count: 1, amountFen: 4_999_000 } }), "20")).toMatchObject({ ok: false, message: "今日还可提现 ¥10.00" });
    expect(preview(overview(), "2000")).toMatchObject({ ok: true, needsRealName: true });
    expect(preview(overview({ realNameMasked: "*三" }), "2000")).toMatchObject({ ok: true, needsRealName: false });
  });
});

const withdrawal = (w: Partial<Withdrawal> = {}): Withdrawal => ({
  id: "W1", amountFen: 10_000, feeFen: 100, netFen: 9_900, status: "wait_user_confirm", statusText: "待确认收款", reason: null,
  approvals: { required: 1, given: 1 }, createdAt: "2026-12-01T01:00:00.000Z", updatedAt: "2026-12-01T01:00:00.000Z", finishedAt: null,
  packageInfo: "pkg", mchId: "1900000001", appId: "wx1", ...w,
});

describe("提现记录 and 确认收款", () => {
  it("shows states and reasons, and offers 确认收款 only while WeChat waits for the member", () => {
    expect(withdrawalRow(withdrawal())).toMatchObject({ confirmable: true, statusLabel: "待确认收款", timeLabel: "申请时间 2026-12-01 09:00" });
    expect(withdrawalRow(withdrawal({ status: "rejected", statusText: "已驳回", reason: "信息不完整", packageInfo: null }))).toMatchObject({ confirmable: false, reason: "信息不完整", statusClass: "refused" });
  });

  it("confirms with the worker's parameters and waits for the notification to land", async () => {
    const seen: unknown[] = [];
    const states = [withdrawal(), withdrawal({ status: "transferring" }), withdrawal({ status: "paid", statusText: "已到账" })];
    const result = await confirmReceipt({
      fetchWithdrawal: async () => states.shift() ?? withdrawal({ status: "paid" }),
      requestMerchantTransfer: async (p) => (seen.push(p), { ok: true }),
      sleep: async () => {},
    }, "W1");
    expect(seen).toEqual([{ mchId: "1900000001", appId: "wx1", package: "pkg" }]);
    expect(result.message).toBe("已到账微信零钱");
  });

  it("says so when the member closes WeChat's receipt page", async () => {
    const result = await confirmReceipt({
      fetchWithdrawal: async () => withdrawal(),
      requestMerchantTransfer: async () => ({ ok: false, cancelled: true, errMsg: "requestMerchantTransfer:fail cancel" }),
    }, "W1");
    expect(result.message).toBe("已取消确认收款");
  });
});
