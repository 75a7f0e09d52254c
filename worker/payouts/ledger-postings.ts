import { accountId } from "../ledger/accounts";
import { transferId, type TransferSpec } from "../ledger/service";

/**
 * A withdrawal's ledger transfers, all with ids derived from the withdrawal (`withdrawal:<id>:<leg>`), so a
 * replayed or concurrent settlement collides on them and a pending transfer resolves exactly once.
 * Requesting reserves the amount as PENDING transfers without a timeout (the pending-expiry job must never void
 * money WeChat may still pay): the net amount into payout_in_flight and the fee into fees. The amount is drawn
 * from commission_available first and from dividends_payable for the rest (`dividendsFen`, stored on the
 * withdrawal), the fee before the net within that order, so every leg can be rebuilt from the row alone.
 * A withdrawal without dividends has exactly the legs it always had (`net`, `fee`).
 */
type W = { id: string; memberId: string; netFen: number; feeFen: number; dividendsFen: number };

/** The columns of a `withdrawals` row that determine its legs. */
export const withdrawalLegsOf = (w: { id: string; member_id: string; net_fen: number; fee_fen: number; dividends_fen: number }): W => ({
  id: w.id, memberId: w.member_id, netFen: w.net_fen, feeFen: w.fee_fen, dividendsFen: w.dividends_fen,
});

const ref = (w: W) => `withdrawal:${w.id}`;

type Leg = { leg: string; code: string; debitAccountId: string; creditAccountId: string; amountFen: number };

/** The pending legs, commission before dividends and fee before net; legs of zero fen are left out. */
function legs(w: W): Leg[] {
  const commissionFen = w.netFen + w.feeFen - w.dividendsFen;
  const feeFromCommission = Math.min(w.feeFen, commissionFen);
  const inFlight = accountId("payout_in_flight", w.memberId);
  const fees = accountId("fees");
  const commission = accountId("commission_available", w.memberId);
  const dividends = accountId("dividends_payable", w.memberId);
  const all: Leg[] = [
    { leg: "net", code: "withdrawal_requested", debitAccountId: commission, creditAccountId: inFlight, amountFen: commissionFen - feeFromCommission },
    { leg: "fee", code: "withdrawal_fee", debitAccountId: commission, creditAccountId: fees, amountFen: feeFromCommission },
    { leg: "dividends:net", code: "withdrawal_requested", debitAccountId: dividends, creditAccountId: inFlight, amountFen: w.dividendsFen - (w.feeFen - feeFromCommission) },
    { leg: "dividends:fee", code: "withdrawal_fee", debitAccountId: dividends, creditAccountId: fees, amountFen: w.feeFen - feeFromCommission },
  ];
  return all.filter((l) => l.amountFen > 0);
}

const pendingId = (w: W, l: Leg) => transferId(ref(w), l.leg);
const spec = (w: W, l: Leg, leg: string) => ({
  id: transferId(ref(w), leg), debitAccountId: l.debitAccountId, creditAccountId: l.creditAccountId, amountFen: l.amountFen, code: l.code, reference: ref(w),
});

export function requestPostings(w: W): TransferSpec[] {
  return legs(w).map((l) => ({ ...spec(w, l, l.leg), pending: true }));
}

/** WeChat paid: every reservation is posted and the net amount leaves our WeChat Pay balance. */
export function paidPostings(w: W): TransferSpec[] {
  return [
    ...legs(w).map((l) => ({ ...spec(w, l, `${l.leg}:post`), postPendingId: pendingId(w, l) })),
    {
      id: transferId(ref(w), "paid"), debitAccountId: accountId("payout_in_flight", w.memberId), creditAccountId: accountId("wechat_clearing"), amountFen: w.netFen,
      code: "withdrawal_paid", reference: ref(w),
    },
  ];
}

/** Rejected, failed or cancelled: the whole amount (fee included) goes back to where it came from. */
export function voidPostings(w: W): TransferSpec[] {
  return legs(w).map((l) => ({ ...spec(w, l, `${l.leg}:void`), voidPendingId: pendingId(w, l) }));
}
