import { createOrder, type PlacedOrder } from "../orders/create";
import { closeOrder } from "../orders/close";
import type { OrderRow } from "../orders/views";
import { closeTransaction } from "../wechat/pay/api";
import { wechatPayConfig } from "../wechat/pay/client";
import { ApiError } from "../http/problem";
import type { Principal } from "../http/auth";
import type { Db } from "../http/context";
import { readCommissionSnapshot } from "../commissions/plan";
import { auctionDepositKind } from "./deposit-kind";
import { auctionPurchaseKind } from "./purchase-kind";

type Platform = "ios" | "android" | "other";

/**
 * The deposit order of a lot (POST /api/lots/:id/deposit): while the lot is not over, for a lot that asks one, once
 * per member (a held deposit already there is 409). Reopens the member's open deposit order for the lot.
 */
export async function placeDepositOrder(env: Env, buyer: Principal, lotId: string, opts: { now?: Date; platform?: Platform } = {}): Promise<PlacedOrder> {
  const now = opts.now ?? new Date();
  const [lot, member, held] = await env.DB.batch([
    env.DB.prepare("SELECT id, title, deposit_fen, status, closes_at FROM lots WHERE id = ?").bind(lotId),
    env.DB.prepare("SELECT openid FROM members WHERE id = ?").bind(buyer.memberId),
    env.DB.prepare("SELECT status FROM lot_deposits WHERE lot_id = ? AND member_id = ?").bind(lotId, buyer.memberId),
  ]);
  const l = lot.results[0] as { id: string; title: string; deposit_fen: number; status: string; closes_at: number } | undefined;
  if (!l) throw ApiError.notFound("No such lot.");
  const openid = (member.results[0] as { openid: string } | undefined)?.openid;
  if (!openid) throw ApiError.unauthorized("The member behind this token no longer exists.");
  if (l.status !== "open" || l.closes_at <= now.getTime()) throw ApiError.conflict("lot-closed", "Bidding on this lot has ended.");
  if (l.deposit_fen <= 0) throw ApiError.conflict("no-deposit-needed", "This lot asks no deposit (无需保证金).");
  if (held.results.length > 0) throw ApiError.conflict("deposit-already-paid", "The deposit for this lot is already paid (已缴纳保证金).");
  return createOrder(env, auctionDepositKind, { memberId: buyer.memberId, openid }, { id: l.id, title: l.title }, l.deposit_fen, { now, platform: opts.platform });
}

/**
 * The winner's purchase order (POST /api/lots/:id/purchase): the hammer price, until the payment deadline. A lot
 * configured to pay commissions places it with the buyer's uplines and rules snapshotted now (one more round trip,
 * for those lots only), so it pays them on payment like a course; any other lot's purchase pays nobody.
 */
export async function placePurchaseOrder(env: Env, db: Db, buyer: Principal, lotId: string, opts: { now?: Date; platform?: Platform } = {}): Promise<PlacedOrder> {
  const now = opts.now ?? new Date();
  const [sale, member] = await env.DB.batch([
    env.DB.prepare("SELECT s.lot_id, s.winner_member_id, s.price_fen, s.status, s.payment_due_at, l.title, l.commissionable FROM lot_sales s JOIN lots l ON l.id = s.lot_id WHERE s.lot_id = ?").bind(lotId),
    env.DB.prepare("SELECT openid FROM members WHERE id = ?").bind(buyer.memberId),
  ]);
  const s = sale.results[0] as { lot_id: string; winner_member_id: string; price_fen: number; status: string; payment_due_at: number; title: string; commissionable: number } | undefined;
  // Only the winner learns that the sale exists.
  if (!s || s.winner_member_id !== buyer.memberId) throw ApiError.notFound("You have not won this lot.");
  const openid = (member.results[0] as { openid: string } | undefined)?.openid;
  if (!openid) throw ApiError.unauthorized("The member behind this token no longer exists.");
  if (s.status !== "awaiting_payment") throw ApiError.conflict(s.status === "unpaid" ? "payment-deadline-passed" : "sale-paid", "This sale is no longer awaiting payment.");
  if (s.payment_due_at <= now.getTime()) throw ApiError.conflict("payment-deadline-passed", "The payment deadline has passed (已超过付款期限).");
  const commission = s.commissionable ? await readCommissionSnapshot(db, { id: buyer.memberId, tier: buyer.tier }) : undefined;
  return createOrder(env, auctionPurchaseKind, { memberId: buyer.memberId, openid }, { id: s.lot_id, title: s.title }, s.price_fen, { now, platform: opts.platform, commission });
}

/**
 * Before a sale is forfeited, its open purchase order is closed at WeChat and here, so no payment can arrive after
 * the forfeit. False when WeChat refuses to close it (paid meanwhile: the payment job will fulfil it) — then the
 * forfeit waits.
 */
export async function closeOpenPurchase(env: Env, lotId: string, now = new Date()): Promise<boolean> {
  const open = await env.DB.prepare("SELECT * FROM orders WHERE open_key = ? AND status = 'pending'").bind(`auction_purchase:${lotId}`).first<OrderRow>();
  if (!open) return true;
  try {
    await closeTransaction(wechatPayConfig(env), open.id);
  } catch {
    return false;
  }
  await closeOrder(env.DB, open, now);
  return true;
}
