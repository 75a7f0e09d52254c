import { pagedList, pagedListData } from "../../lib/paged-list";
import { messageOf } from "../../lib/problems";
import { api, session } from "../../lib/services";
import { confirmReceipt, withdrawalRow, type WithdrawalRow } from "../../lib/withdrawal";
import { requestMerchantTransfer } from "../../lib/wx-payouts";

const PAGE_SIZE = 20;

/** 提现记录: every withdrawal with its state and reason; 确认收款 opens WeChat's receipt page. */
Page({
  data: { ...pagedListData<WithdrawalRow>(), confirmingId: "" },
  ...pagedList(
    async (cursor) => {
      await session.ensureLogin();
      const page = await api.get("/api/partner/withdrawals", { query: { limit: PAGE_SIZE, cursor } });
      return { items: page.items.map(withdrawalRow), nextCursor: page.nextCursor };
    },
    { keepWhileReloading: true },
  ),

  onLoad() {
    void this.reload();
  },

  onShow() {
    if (this.data.status === "ready") void this.reload();
  },

  async onConfirmTap(e: WechatMiniprogram.BaseEvent<Record<string, never>, { id: string }>) {
    const { id } = e.currentTarget.dataset;
    if (this.data.confirmingId) return;
    this.setData({ confirmingId: id });
    try {
      const result = await confirmReceipt(
        { fetchWithdrawal: (wid) => api.get("/api/partner/withdrawals/{id}", { path: { id: wid } }), requestMerchantTransfer },
        id,
      );
      void wx.showToast({ title: result.message, icon: "none" });
    } catch (err) {
      void wx.showToast({ title: messageOf(err), icon: "none" });
    }
    this.setData({ confirmingId: "" });
    void this.reload();
  },
});
