import { pagedList, pagedListData } from "../../lib/paged-list";
import { roundCard, type RoundCard } from "../../lib/round-view";
import { api, session } from "../../lib/services";

/** 合伙人众筹: the rounds open to the member's tier. Nobody else is ever shown one (private placement). */
Page({
  data: pagedListData<RoundCard>(),
  ...pagedList(async (cursor) => {
    await session.ensureLogin();
    const page = await api.get("/api/rounds", { query: { limit: 20, cursor } });
    return { items: page.items.map((r) => roundCard(r)), nextCursor: page.nextCursor };
  }),

  onLoad() {
    void this.reload();
  },

  openRound(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    void wx.navigateTo({ url: `/pages/round/index?id=${encodeURIComponent(e.currentTarget.dataset.id)}` });
  },

  // No onShareAppMessage: a round must never be shared (Securities Law art. 9 forbids open solicitation).
});
