import { accountId } from "../../worker/ledger/accounts";
import type { TransferSpec } from "../../worker/ledger/service";

/** A sale paid through WeChat: money arrives in clearing and is recognised as course revenue. */
export const sale = (order: string, amountFen: number): TransferSpec => ({
  id: `order:${order}:revenue`,
  debitAccountId: accountId("wechat_clearing"),
  creditAccountId: accountId("revenue_course"),
  amountFen,
  code: "course_sale",
  reference: `order:${order}`,
});
