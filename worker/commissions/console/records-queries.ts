import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../../http/cursor";

/** Read side of 佣金记录: every commission, filtered, keyset-paged (list) or chunked by primary key (export). */
export const COMMISSION_STATUSES = ["frozen", "available", "cancelled", "clawed_back"] as const;
export type CommissionStatus = (typeof COMMISSION_STATUSES)[number];
export type CommissionFilter = { status?: CommissionStatus; earnerId?: string; fromMs?: number; toMs?: number };

export type CommissionRecordRow = {
  id: string; order_id: string; earner_id: string; earner_nickname: string | null; buyer_id: string; buyer_nickname: string | null;
  order_description: string | null; level: number; tier: string; rate_bps: number; base_fen: number; amount_fen: number;
  cancelled_fen: number; settled_fen: number; clawed_back_fen: number; status: CommissionStatus; available_at: number; created_at: number;
};

const PAGE = 20;
const RecordCursor = z.tuple([cursorKey.timestampMs, z.string().min(1).max(200)]);
export const isCommissionCursor = (cursor: string) => decodeCursor(cursor, RecordCursor) !== null;

const SELECT = `SELECT c.id, c.order_id, c.earner_id, e.nickname AS earner_nickname, c.buyer_id, b.nickname AS buyer_nickname,
  o.description AS order_description, c.level, c.tier, c.rate_bps, c.base_fen, c.amount_fen, c.cancelled_fen, c.settled_fen,
  c.clawed_back_fen, c.status, c.available_at, c.created_at
  FROM commissions c LEFT JOIN members e ON e.id = c.earner_id LEFT JOIN members b ON b.id = c.buyer_id LEFT JOIN orders o ON o.id = c.order_id`;

/** The list's and the export's one filter; `fromMs`/`toMs` bound the accrual time (created_at). */
function conditions(f: CommissionFilter) {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (f.status) add("c.status = ?", f.status);
  if (f.earnerId) add("c.earner_id = ?", f.earnerId);
  if (f.fromMs !== undefined) add("c.created_at >= ?", f.fromMs);
  if (f.toMs !== undefined) add("c.created_at < ?", f.toMs);
  return { where, params };
}

const whereSql = (where: string[]) => (where.length ? `WHERE ${where.join(" AND ")}` : "");

/** Commissions newest first, filtered; rows read ≈ the page. */
export async function listCommissionRecords(d1: D1Database, f: CommissionFilter & { cursor?: string }, limit = PAGE) {
  const { where, params } = conditions(f);
  const after = f.cursor ? decodeCursor(f.cursor, RecordCursor) : null;
  if (after) {
    where.push("(c.created_at < ? OR (c.created_at = ? AND c.id < ?))");
    params.push(after[0], after[0], after[1]);
  }
  const { results } = await d1
    .prepare(`${SELECT} ${whereSql(where)} ORDER BY c.created_at DESC, c.id DESC LIMIT ?`)
    .bind(...params, limit + 1)
    .all<CommissionRecordRow>();
  const items = results.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: results.length > limit && last ? encodeCursor([last.created_at, last.id]) : null };
}

/** A chunk of the commissions export: the same filter, keyset on the primary key (rows read ≤ size). */
export async function commissionExportChunk(d1: D1Database, f: CommissionFilter, afterId: string | null, size: number) {
  const { where, params } = conditions(f);
  if (afterId !== null) {
    where.push("c.id > ?");
    params.push(afterId);
  }
  const { results } = await d1.prepare(`${SELECT} ${whereSql(where)} ORDER BY c.id LIMIT ?`).bind(...params, size).all<CommissionRecordRow>();
  return results;
}
