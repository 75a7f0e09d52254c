import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../http/cursor";
import { ORDER_STATUSES, type OrderRow, type RefundRow } from "./views";

/**
 * The read side of orders for the admin console: lists and one order with its payment and refunds (the
 * dashboard's figures are in console/figures.ts). Reads only; every change goes through the order services.
 */
export type AdminOrderRow = OrderRow & { member_nickname: string | null; member_openid: string | null };
export type OrderStatus = (typeof ORDER_STATUSES)[number];

const PAGE = 20;

/** The shared opaque cursor over (createdAt, id) of the last row shown. */
const OrderCursor = z.tuple([cursorKey.timestampMs, cursorKey.id]);

export type AdminOrderFilter = { status?: OrderStatus; q?: string; phoneHash?: string; memberId?: string; fromMs?: number; toMs?: number };

/**
 * The list's and the export's one filter: a status; `q` is an order id, or a member's id, openid or phone (each an
 * indexed equality); one member's orders; created in [fromMs, toMs).
 */
function orderConditions(f: AdminOrderFilter): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.status) {
    where.push("o.status = ?");
    params.push(f.status);
  }
  const q = f.q?.trim();
  if (q) {
    where.push("(o.id = ? OR o.member_id IN (SELECT id FROM members WHERE id = ? OR openid = ? OR phone = ? OR phone_hash = ?))");
    params.push(q, q, q, q, f.phoneHash ?? "");
  }
  if (f.memberId) {
    where.push("o.member_id = ?");
    params.push(f.memberId);
  }
  if (f.fromMs !== undefined) {
    where.push("o.created_at >= ?");
    params.push(f.fromMs);
  }
  if (f.toMs !== undefined) {
    where.push("o.created_at < ?");
    params.push(f.toMs);
  }
  return { where, params };
}

const SELECT_ORDERS = "SELECT o.*, m.nickname AS member_nickname, m.openid AS member_openid FROM orders o LEFT JOIN members m ON m.id = o.member_id";

/** Orders newest first, filtered (see orderConditions), so a search reads about one page of rows. */
export async function listOrdersForAdmin(d1: D1Database, f: AdminOrderFilter & { cursor?: string }, limit = PAGE) {
  const { where, params } = orderConditions(f);
  const after = f.cursor ? decodeCursor(f.cursor, OrderCursor) : null;
  if (after) {
    where.push("(o.created_at < ? OR (o.created_at = ? AND o.id < ?))");
    params.push(after[0], after[0], after[1]);
  }
  const { results } = await d1
    .prepare(`${SELECT_ORDERS} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY o.created_at DESC, o.id DESC LIMIT ?`)
    .bind(...params, limit + 1)
    .all<AdminOrderRow>();
  const items = results.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: results.length > limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

/** True when `cursor` is one of this list's cursors. */
export const isOrderCursor = (cursor: string) => decodeCursor(cursor, OrderCursor) !== null;

/** A chunk of the orders export: the same filter, keyset on the primary key (rows read ≤ size). */
export async function orderExportChunk(d1: D1Database, f: AdminOrderFilter, afterId: string | null, size: number) {
  const { where, params } = orderConditions(f);
  if (afterId !== null) {
    where.push("o.id > ?");
    params.push(afterId);
  }
  const { results } = await d1
    .prepare(`${SELECT_ORDERS} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY o.id LIMIT ?`)
    .bind(...params, size)
    .all<AdminOrderRow>();
  return results;
}

export type Settlement = { id: string; wechat_id: string; created_at: number };

/** One order with its member, its refunds and the settlements (payment and refunds) recorded for it. */
export async function orderDetailForAdmin(d1: D1Database, id: string) {
  const [order, refunds, settlements] = await d1.batch([
    d1.prepare("SELECT o.*, m.nickname AS member_nickname, m.openid AS member_openid FROM orders o LEFT JOIN members m ON m.id = o.member_id WHERE o.id = ?").bind(id),
    // The console admin's username when a console user asked (API callers are admin members: their id stays).
    d1.prepare("SELECT r.*, a.username AS requested_by_name FROM refunds r LEFT JOIN admin_users a ON a.id = r.requested_by WHERE r.order_id = ? ORDER BY r.created_at").bind(id),
    d1.prepare("SELECT id, wechat_id, created_at FROM pay_settlements WHERE order_id = ? ORDER BY created_at").bind(id),
  ]);
  const row = order.results[0] as AdminOrderRow | undefined;
  if (!row) return null;
  return { order: row, refunds: refunds.results as (RefundRow & { requested_by: string; requested_by_name: string | null })[], settlements: settlements.results as Settlement[] };
}
