import { describe, expect, it } from "vitest";
import { ApiClient, newerBookmark } from "../../../mini-program/miniprogram/lib/client";
import { scriptedTransport } from "./fake-transport";

const older = "00000000-00000015-00000000-00000000000000000000000000000000";
const newer = "00000000-00000016-00000000-00000000000000000000000000000000";
const page = { items: [], nextCursor: null };

describe("D1 bookmarks: the member reads their own writes", () => {
  it("sends back the newest bookmark the worker answered, and keeps it between launches", async () => {
    const saved: string[] = [];
    const { transport, sent } = scriptedTransport(
      { status: 201, body: { id: "W1" }, headers: { "x-d1-bookmark": newer } },
      { status: 200, body: page, headers: { "X-D1-Bookmark": older } },
      { status: 200, body: page },
    );
    const api = new ApiClient({ baseUrl: "https://api.test", transport, bookmarks: { load: () => null, save: (b) => void saved.push(b) } });
    await api.post("/api/partner/withdrawals", { body: { amountFen: 1_000 } });
    await api.get("/api/partner/withdrawals", {});
    await api.get("/api/partner/withdrawals", {});
    expect(sent.map((r) => r.headers["X-D1-Bookmark"])).toEqual([undefined, newer, newer]);
    // An older bookmark (a concurrent read answered late) never replaces a newer one.
    expect(api.latestBookmark()).toBe(newer);
    expect(saved).toEqual([newer]);
  });

  it("starts from the stored bookmark, and ignores anything that is not a bookmark", async () => {
    const { transport, sent } = scriptedTransport({ status: 200, body: page, headers: { "x-d1-bookmark": "garbage" } }, { status: 200, body: page });
    const api = new ApiClient({ baseUrl: "https://api.test", transport, bookmarks: { load: () => older, save: () => undefined } });
    await api.get("/api/partner/withdrawals", {});
    await api.get("/api/partner/withdrawals", {});
    expect(sent.map((r) => r.headers["X-D1-Bookmark"])).toEqual([older, older]);
    expect(newerBookmark(null, "first-primary")).toBeNull();
  });
});
