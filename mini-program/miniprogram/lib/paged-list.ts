import { appendPage, canLoadMore, failedList, firstPage, listFooter, loadingList, type ListState } from "./list-state";
import { messageOf } from "./problems";

export type PageOf<T> = { items: T[]; nextCursor: string | null };

type PagedListData<T> = ListState<T> & { footer: string; generation: number };

type Host<T> = {
  data: PagedListData<T>;
  setData(data: Partial<PagedListData<T>>): void;
  show(state: ListState<T>): void;
  reload(): Promise<void>;
  loadMore(): Promise<void>;
};

/** The data a paged list page starts with; spread into the page's `data`. */
export function pagedListData<T>(): PagedListData<T> {
  return { ...loadingList<T>(), footer: "", generation: 0 };
}

/**
 * What every paged list page does, spread into `Page({...})`: the first page on load, pull-down and retry,
 * more on scroll (and on tapping a failed footer), each with its loading, empty and error state.
 * `generation` tells a late answer from a superseded load, so it never overwrites a newer one.
 * `keepWhileReloading` leaves a shown list in place while it refreshes (coming back to the page).
 */
export function pagedList<T extends { id: string }>(fetchPage: (cursor?: string) => Promise<PageOf<T>>, options: { keepWhileReloading?: boolean } = {}) {
  return {
    onPullDownRefresh(this: Host<T>) {
      void this.reload().then(() => wx.stopPullDownRefresh());
    },

    onReachBottom(this: Host<T>) {
      void this.loadMore();
    },

    onRetry(this: Host<T>) {
      void this.reload();
    },

    onFooterTap(this: Host<T>) {
      if (this.data.moreError) void this.loadMore();
    },

    show(this: Host<T>, state: ListState<T>) {
      this.setData({ ...state, footer: listFooter(state) });
    },

    async reload(this: Host<T>) {
      const generation = this.data.generation + 1;
      this.setData({ generation });
      if (!options.keepWhileReloading || this.data.status !== "ready") this.show(loadingList());
      try {
        const page = await fetchPage();
        if (this.data.generation === generation) this.show(firstPage(page.items, page.nextCursor));
      } catch (e) {
        if (this.data.generation === generation) this.show(failedList(messageOf(e)));
      }
    },

    async loadMore(this: Host<T>) {
      const state = this.data;
      if (!canLoadMore(state) || !state.nextCursor) return;
      const generation = state.generation;
      this.show({ ...state, loadingMore: true, moreError: "" });
      try {
        const page = await fetchPage(state.nextCursor);
        if (this.data.generation === generation) this.show(appendPage(this.data, page.items, page.nextCursor));
      } catch (e) {
        if (this.data.generation === generation) this.show({ ...this.data, loadingMore: false, moreError: messageOf(e) });
      }
    },
  };
}

/**
 * What a page that shows one loaded thing (not a paged list) does, spread into `Page({...})` beside its own
 * `load()`: the error state's 重试 button and pull-down both load it again.
 */
export const reloadable = {
  onRetry(this: { load(): Promise<void> }) {
    void this.load();
  },

  onPullDownRefresh(this: { load(): Promise<void> }) {
    void this.load().then(() => wx.stopPullDownRefresh());
  },
};
