/**
 * A paged list as pages show it (docs/http.md lists: `{ items, nextCursor }`): the first page replaces the list,
 * later pages are appended on scroll, and each step has its loading, empty and error state.
 */
export type ListStatus = "loading" | "ready" | "empty" | "error";

export type ListState<T> = {
  status: ListStatus;
  /** Why the first page failed (shown with a retry button). */
  message: string;
  items: T[];
  nextCursor: string | null;
  loadingMore: boolean;
  /** Why the last "load more" failed (the list itself stays). */
  moreError: string;
};

export function loadingList<T>(): ListState<T> {
  return { status: "loading", message: "", items: [], nextCursor: null, loadingMore: false, moreError: "" };
}

export function firstPage<T>(items: T[], nextCursor: string | null): ListState<T> {
  return { status: items.length ? "ready" : "empty", message: "", items, nextCursor, loadingMore: false, moreError: "" };
}

export function failedList<T>(message: string): ListState<T> {
  return { ...loadingList<T>(), status: "error", message };
}

export function canLoadMore<T>(state: ListState<T>): boolean {
  return state.status === "ready" && state.nextCursor !== null && !state.loadingMore;
}

/** Appends a page, dropping items already shown (a course re-sorted between two pages stays listed once). */
export function appendPage<T extends { id: string }>(state: ListState<T>, items: T[], nextCursor: string | null): ListState<T> {
  const seen = new Set(state.items.map((i) => i.id));
  return { ...state, items: state.items.concat(items.filter((i) => !seen.has(i.id))), nextCursor, loadingMore: false, moreError: "" };
}

/** What the foot of the list says. */
export function listFooter<T>(state: ListState<T>): string {
  if (state.loadingMore) return "加载中…";
  if (state.moreError) return `${state.moreError}，点击重试`;
  return state.nextCursor ? "上拉加载更多" : "没有更多了";
}
