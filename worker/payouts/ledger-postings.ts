import { accountId } from "../ledger/accounts";
import { transferId, type TransferSpec } from "../ledger/service";

/**
 * A withdrawal's ledger transfers, all with ids derived from the withdrawal (`withdrawal:<id>:<leg>`), so a
 * replayed or concurrent settlement collides on them and a pending transfer resolves exactly once.
 * Requesting reserves the amount as two PENDING transfers without a timeout (the pending-expiry job must never
 * void money WeChat may still pay): the net amount into payout_in_flight and the fee into fees.
 */
type W = { id: string; memberId: string; netFen: number; feeFen: number };

const ref = (w: W) => `withdrawal:${w.id}`;

function legs(w: W) {
  const available = accountId("commission_available", w.memberId);
  return {
    net: { id: transferId(ref(w), "net"), debitAccountId: available, creditAccountId: accountId("payout_in_flight", w.memberId), amountFen: w.netFen },
    fee: w.feeFen > 0 ? { id: transferId(ref(w), "fee"), debitAccountId: available, creditAccountId: accountId("fees"), amountFen: w.feeFen } : null,
  };
}

export function requestPostings(w: W): TransferSpec[] {
  const { net, fee } = legs(w);
  return [
    { ...net, code: "withdrawal_requested", reference: ref(w), pending: true },
    ...(fee ? [{ ...fee, code: "withdrawal_fee", reference: ref(w), pending: true }] : []),
  ];
}

/** WeChat paid: the reservation is posted and the net amount leaves our WeChat Pay balance. */
export function paidPostings(w: W): TransferSpec[] {
  const { net, fee } = legs(w);
  return [
    { ...net, id: transferId(ref(w), "net:post"), code: "withdrawal_requested", reference: ref(w), postPendingId: net.id },
    ...(fee ? [{ ...fee, id: transferId(ref(w), "fee:post"), code: "withdrawal_fee", reference: ref(w), postPendingId: fee.id }] : []),
    {
      id: transferId(ref(w), "paid"), debitAccountId: net.creditAccountId, creditAccountId: accountId("wechat_clearing"), amountFen: w.netFen,
      code: "withdrawal_paid", reference: ref(w),
    },
  ];
}

/** Rejected, failed or cancelled: the whole amount (fee included) is available again. */
export function voidPostings(w: W): TransferSpec[] {
  const { net, fee } = legs(w);
  return [
    { ...net, id: transferId(ref(w), "net:void"), code: "withdrawal_requested", reference: ref(w), voidPendingId: net.id },
    ...(fee ? [{ ...fee, id: transferId(ref(w), "fee:void"), code: "withdrawal_fee", reference: ref(w), voidPendingId: fee.id }] : []),
  ];
}
