import { describe, expect, it } from "vitest";
import { chartBars, commissionItemView, earningsView, isPartner, teamItemView } from "../../../mini-program/miniprogram/lib/partner";

describe("推广中心 views", () => {
  it("shows balances in yuan and a debt only when there is one", () => {
    const v = earningsView({ frozenFen: 500, availableFen: 80000, inFlightFen: 0, withdrawnFen: 12345, debtFen: 0, lifetimeFen: 92845 });
    expect(v).toEqual({ available: "¥800.00", frozen: "¥5.00", inFlight: "¥0.00", withdrawn: "¥123.45", lifetime: "¥928.45", debt: "" });
    expect(earningsView({ frozenFen: 0, availableFen: 0, inFlightFen: 0, withdrawnFen: 0, debtFen: 700, lifetimeFen: -700 }).debt).toBe("¥7.00");
  });

  it("draws 30 bars scaled to the best day, never a flat bar for a day with earnings, labelling every fifth date", () => {
    const days = Array.from({ length: 30 }, (_, i) => ({ date: `2026-11-${String(i + 1).padStart(2, "0")}`, earnedFen: i === 29 ? 10000 : i === 10 ? 1 : 0 }));
    const chart = chartBars(days);
    expect(chart.bars).toHaveLength(30);
    expect(chart.total).toBe("¥100.01");
    expect(chart.bars[29]).toMatchObject({ heightPct: 100, label: "11-30" });
    expect(chart.bars[10].heightPct).toBe(4);
    expect(chart.bars[0].heightPct).toBe(0);
    expect(chart.bars.filter((b) => b.label).map((b) => b.label)).toEqual(["11-05", "11-10", "11-15", "11-20", "11-25", "11-30"]);
    expect(chartBars(days.map((d) => ({ ...d, earnedFen: 0 }))).empty).toBe(true);
  });

  it("shows a record's kept amount, its level and rate, and when a frozen one unfreezes", () => {
    const v = commissionItemView({
      id: "c1", orderId: "o1", title: "书法入门", buyerNickname: "张**", level: 2, rateBps: 500, amountFen: 1000, keptFen: 600,
      status: "frozen", createdAt: "2026-11-20T01:00:00.000Z", availableAt: "2026-11-27T01:00:00.000Z",
    });
    expect(v).toMatchObject({ buyer: "张**", level: "二级", rate: "5%", amount: "¥6.00", reduced: "原 ¥10.00", status: "冻结中", availableHint: "2026-11-27 解冻" });
  });

  it("shows team members without amounts, and who sees 推广中心", () => {
    expect(teamItemView({ nickname: "李四", avatarUrl: "", joinedAt: "2026-11-01T00:00:00.000Z", hasBought: true })).toEqual({ nickname: "李四", avatarUrl: "", joined: "2026-11-01", bought: "已购课" });
    expect(isPartner("member")).toBe(false);
    expect(isPartner("promoter")).toBe(true);
  });
});
