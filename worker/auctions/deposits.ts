import { auditStatement } from "../audit/log";
import { accountId } from "../ledger/accounts";
import { transferStatements, type TransferSpec } from "../ledger/service";

/**
 * The money of a lot's deposits (保证金), docs/architecture.md §3–4: a paid deposit sits in `deposit_held:<member>` and is held
 * for the lot by a PENDING transfer to `revenue_auction` (no timeout: the pending-expiry job never voids it). After
 * the lot, the hold is voided for every bidder but an unpaid winner (then the deposit order is refunded by a system
 * refund), or posted for the unpaid winner at the payment deadline (forfeited to revenue_auction). The hold and its
 * resolution have deterministic ids, and the ledger resolves a pending transfer at most once, so a release and a
 * forfeit of the same deposit cannot both happen, whatever runs concurrently.
 */
export type HeldDeposit = { lotId: string; memberId: string; orderId: string; amountFen: number };

/** Keyed by the deposit order, so a fulfilment never collides with another deposit's hold; lot_deposits records it. */
export const depositHoldId = (orderId: string) => `order:${orderId}:deposit-hold`;

/** The deposit order's money, for its fulfilment batch: received into deposit_held, then held for the lot. */
export function depositPaidTransfers(d: HeldDeposit): TransferSpec[] {
  const held = accountId("deposit_held", d.memberId);
  return [
    { id: `order:${d.orderId}:deposit`, debitAccountId: accountId("wechat_clearing"), creditAccountId: held, amountFen: d.amountFen, code: "auction_deposit", reference: `order:${d.orderId}` },
    { id: depositHoldId(d.orderId), debitAccountId: held, creditAccountId: accountId("revenue_auction"), amountFen: d.amountFen, code: "auction_deposit_hold", reference: `lot:${d.lotId}`, pending: true },
  ];
}

const hold = (d: HeldDeposit) => ({ debitAccountId: accountId("deposit_held", d.memberId), creditAccountId: accountId("revenue_auction"), amountFen: d.amountFen, reference: `lot:${d.lotId}` });

export const depositReleaseTransfer = (d: HeldDeposit): TransferSpec => ({
  id: `lot:${d.lotId}:deposit-release:${d.memberId}`,
  ...hold(d),
  code: "auction_deposit_release",
  voidPendingId: depositHoldId(d.orderId),
});

export const depositForfeitTransfer = (d: HeldDeposit): TransferSpec => ({
  id: `lot:${d.lotId}:deposit-forfeit:${d.memberId}`,
  ...hold(d),
  code: "auction_deposit_forfeit",
  postPendingId: depositHoldId(d.orderId),
});

/**
 * Records a paid deposit for the deposit order's fulfilment batch (gated like every kind statement). A member who
 * somehow paid twice for one lot keeps the first row; the second deposit stays in deposit_held for an admin refund.
 */
export function depositRecordStatement(d1: D1Database, orderId: string, gate: { sql: string; params: unknown[] }, now: Date): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO lot_deposits (lot_id, member_id, order_id, amount_fen, hold_transfer_id, status, created_at, updated_at)
       SELECT subject_id, member_id, id, amount_fen, ?, 'held', ?, ? FROM orders WHERE id = ? AND ${gate.sql}
       ON CONFLICT (lot_id, member_id) DO NOTHING`,
    )
    .bind(depositHoldId(orderId), now.getTime(), now.getTime(), orderId, ...gate.params);
}

/** A settled refund of a deposit order: the money leaves deposit_held back to WeChat. */
export const depositRefundTransfer = (memberId: string, orderId: string, refund: { id: string; amountFen: number }): TransferSpec => ({
  id: `refund:${refund.id}`,
  debitAccountId: accountId("deposit_held", memberId),
  creditAccountId: accountId("wechat_clearing"),
  amountFen: refund.amountFen,
  code: "auction_deposit_refund",
  reference: `order:${orderId}`,
});

type Row = { lot_id: string; member_id: string; order_id: string; amount_fen: number };
const toDeposit = (r: Row): HeldDeposit => ({ lotId: r.lot_id, memberId: r.member_id, orderId: r.order_id, amountFen: r.amount_fen });

/**
 * Voids the holds that no longer serve a lot — every deposit of an ended lot except the winner's while the winner has
 * not paid — each in one batch with its `released` mark. A hold already resolved makes the batch fail and change
 * nothing (the ledger's exactly-once guard), so a concurrent run or forfeit is harmless.
 */
export async function releaseDeposits(d1: D1Database, now = new Date(), limit = 50): Promise<HeldDeposit[]> {
  const { results } = await d1
    .prepare(
      `SELECT d.lot_id, d.member_id, d.order_id, d.amount_fen FROM lot_deposits d
       JOIN lots l ON l.id = d.lot_id LEFT JOIN lot_sales s ON s.lot_id = d.lot_id
       WHERE d.status = 'held' AND l.status != 'open'
         AND (l.winner_member_id IS NULL OR d.member_id != l.winner_member_id OR s.status IN ('paid', 'shipped'))
       LIMIT ?`,
    )
    .bind(limit)
    .all<Row>();
  const released: HeldDeposit[] = [];
  for (const d of results.map(toDeposit)) {
    try {
      await d1.batch([
        d1.prepare("UPDATE lot_deposits SET status = 'released', updated_at = ? WHERE lot_id = ? AND member_id = ? AND status = 'held'").bind(now.getTime(), d.lotId, d.memberId),
        ...transferStatements(d1, [depositReleaseTransfer(d)], now),
      ]);
      released.push(d);
    } catch {
      // Resolved meanwhile (released by another run, or forfeited): nothing was written.
    }
  }
  return released;
}

/** Deposits whose hold is voided and whose refund has not been started yet. */
export async function depositsAwaitingRefund(d1: D1Database, limit = 50): Promise<HeldDeposit[]> {
  const { results } = await d1.prepare("SELECT lot_id, member_id, order_id, amount_fen FROM lot_deposits WHERE status = 'released' LIMIT ?").bind(limit).all<Row>();
  return results.map(toDeposit);
}

export async function markDepositRefunded(d1: D1Database, d: HeldDeposit, now = new Date()) {
  await d1.prepare("UPDATE lot_deposits SET status = 'refunded', updated_at = ? WHERE lot_id = ? AND member_id = ? AND status = 'released'").bind(now.getTime(), d.lotId, d.memberId).run();
}

/**
 * A winner who has not paid by the deadline: the sale becomes `unpaid` and their deposit's hold is posted to
 * revenue_auction, in ONE batch gated on the sale's own update (stamped with this run's id): if the winner paid
 * meanwhile, or another run got there first, the gate row's CHECK fails and nothing is written.
 */
export async function forfeitUnpaidSales(
  d1: D1Database,
  now = new Date(),
  limit = 50,
  /** Runs first for each sale (closing its open purchase order); false leaves the sale for the next run. */
  beforeForfeit: (lotId: string) => Promise<boolean> = async () => true,
): Promise<string[]> {
  const t = now.getTime();
  const { results } = await d1
    .prepare(
      `SELECT s.lot_id, s.winner_member_id, d.order_id, d.amount_fen, d.status AS deposit_status FROM lot_sales s
       LEFT JOIN lot_deposits d ON d.lot_id = s.lot_id AND d.member_id = s.winner_member_id
       WHERE s.status = 'awaiting_payment' AND s.payment_due_at <= ? LIMIT ?`,
    )
    .bind(t, limit)
    .all<{ lot_id: string; winner_member_id: string; order_id: string | null; amount_fen: number | null; deposit_status: string | null }>();
  const forfeited: string[] = [];
  for (const s of results) {
    if (!(await beforeForfeit(s.lot_id))) continue;
    const stamp = crypto.randomUUID();
    const deposit = s.deposit_status === "held" ? { lotId: s.lot_id, memberId: s.winner_member_id, orderId: s.order_id!, amountFen: s.amount_fen! } : null;
    try {
      await d1.batch([
        d1.prepare("UPDATE lot_sales SET status = 'unpaid', settlement_id = ?, updated_at = ? WHERE lot_id = ? AND status = 'awaiting_payment' AND payment_due_at <= ?").bind(stamp, t, s.lot_id, t),
        ...(deposit
          ? [
              d1.prepare("UPDATE lot_deposits SET status = 'forfeited', updated_at = ? WHERE lot_id = ? AND member_id = ? AND status = 'held'").bind(t, deposit.lotId, deposit.memberId),
              ...transferStatements(d1, [depositForfeitTransfer(deposit)], now),
            ]
          : []),
        auditStatement(d1, {
          actorId: "system",
          actorKind: "system",
          action: "lot.sale.unpaid",
          targetType: "lot",
          targetId: s.lot_id,
          before: { status: "awaiting_payment" },
          after: { status: "unpaid", forfeitedDepositFen: deposit?.amountFen ?? 0 },
        }),
        d1.prepare("INSERT INTO lot_settlements (id, lot_id, gate, created_at) SELECT 'forfeit:' || ?1, ?1, EXISTS (SELECT 1 FROM lot_sales WHERE lot_id = ?1 AND settlement_id = ?2), ?3")
          .bind(s.lot_id, stamp, t),
      ]);
      forfeited.push(s.lot_id);
    } catch {
      // The winner paid meanwhile, or another run forfeited it first: the batch rolled back whole.
    }
  }
  return forfeited;
}
