import { describe, expect, it } from "vitest";
import { appendPage, canLoadMore, failedList, firstPage, listFooter, loadingList } from "../../../mini-program/miniprogram/lib/list-state";

const item = (id: string) => ({ id });

describe("a paged list", () => {
  it("shows the empty state when the first page has nothing", () => {
    expect(firstPage([], null).status).toBe("empty");
    expect(firstPage([item("a")], null).status).toBe("ready");
  });

  it("loads more only when ready, with a cursor, and not already loading", () => {
    const ready = firstPage([item("a")], "c1");
    expect(canLoadMore(ready)).toBe(true);
    expect(canLoadMore({ ...ready, loadingMore: true })).toBe(false);
    expect(canLoadMore(firstPage([item("a")], null))).toBe(false);
    expect(canLoadMore(loadingList())).toBe(false);
    expect(canLoadMore(failedList("网络异常，请稍后重试"))).toBe(false);
  });

  it("appends the next page once, keeping items already shown", () => {
    const next = appendPage({ ...firstPage([item("a"), item("b")], "c1"), loadingMore: true }, [item("b"), item("c")], null);
    expect(next.items.map((i) => i.id)).toEqual(["a", "b", "c"]);
    expect(next.loadingMore).toBe(false);
    expect(next.nextCursor).toBeNull();
  });

  it("says at the foot whether there is more", () => {
    expect(listFooter(firstPage([item("a")], "c1"))).toBe("上拉加载更多");
    expect(listFooter(firstPage([item("a")], null))).toBe("没有更多了");
    expect(listFooter({ ...firstPage([item("a")], "c1"), loadingMore: true })).toBe("加载中…");
    expect(listFooter({ ...firstPage([item("a")], "c1"), moreError: "网络异常，请稍后重试" })).toBe("网络异常，请稍后重试，点击重试");
  });
});
