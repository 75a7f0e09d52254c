import { describe, expect, it } from "vitest";
import { applyLive, bidBar, countdownLabel, lotCardView, yuanToFen } from "../../../mini-program/miniprogram/lib/lot-view";
import { liveUrl } from "../../../mini-program/miniprogram/lib/lot-live";

const T = Date.parse("2026-12-01T12:00:00Z");

describe("lot views", () => {
  it("counts down to the end it was last told, and to the start before it opens", () => {
    expect(countdownLabel("2026-12-01T13:02:03Z", "live", T)).toBe("距结束 01:02:03");
    expect(countdownLabel("2026-12-03T12:00:05Z", "live", T)).toBe("距结束 2天 00:00:05");
    expect(countdownLabel("2026-12-01T11:00:00Z", "live", T)).toBe("即将结束");
    expect(countdownLabel("2026-12-02T00:00:00Z", "upcoming", T, "2026-12-01T12:00:30Z")).toBe("距开拍 00:00:30");
    expect(countdownLabel("2026-12-01T13:00:00Z", "ended", T)).toBe("已结束");
  });

  it("never lets an older live message overwrite a newer standing", () => {
    const now = { currentPriceFen: 60_000, nextMinFen: 61_000, bidCount: 5, endsAt: "x", state: "live" as const, leader: null };
    expect(applyLive(now, { ...now, currentPriceFen: 55_000, bidCount: 4 })).toBe(now);
    expect(applyLive(now, { ...now, currentPriceFen: 61_000, bidCount: 6 }).currentPriceFen).toBe(61_000);
  });

  it("offers the next valid amount, and reads typed yuan as integer fen", () => {
    expect(bidBar({ currentPriceFen: 50_000, nextMinFen: 51_000, bidCount: 1, endsAt: "", state: "live", leader: null }, true)).toEqual({ canBid: true, nextMinFen: 51_000, bidLabel: "出价 ¥510.00", leadingLabel: "您当前领先" });
    expect(yuanToFen("1,200")).toBe(120_000);
    expect(yuanToFen("0.29")).toBe(29);
    expect(yuanToFen("1e3")).toBeNull();
    expect(lotCardView({ id: "l", title: "t", instructor: "", coverUrl: null, state: "upcoming", startPriceFen: 50_000, currentPriceFen: null, bidCount: 0, endsAt: "" })).toMatchObject({ priceCaption: "起拍价", priceLabel: "¥500.00", stateLabel: "即将开拍" });
    expect(liveUrl("https://api.example.com", "lot_1")).toBe("wss://api.example.com/api/lots/lot_1/live");
  });
});
