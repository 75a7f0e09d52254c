import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../../http/cursor";
import type { RefundRow } from "../views";

/** Read side of the console's refund list: every refund, or those of one status, or those settled on given days. */
export type RefundListRow = RefundRow & { member_id: string | null; member_nickname: string | null; order_description: string | null };
export type RefundFilter = { status?: RefundRow["status"]; fromMs?: number; toMs?: number };

const RefundCursor = z.tuple([cursorKey.timestampMs, cursorKey.id]);
export const decodeRefundCursor = (text: string) => decodeCursor(text, RefundCursor);

/**
 * With a date range the list is of refunds settled in it (by `settled_at`, the day WeChat confirmed them: the
 * day their ledger posting is made and the dashboard counts them), newest settlement first; without one, newest
 * request first. Keyset-paginated, at most `limit + 1` rows read per page on refunds_status_settled_idx or
 * refunds_status_idx when a status is given.
 */
function where(f: RefundFilter) {
  const byDay = f.fromMs !== undefined || f.toMs !== undefined;
  const time = byDay ? "r.settled_at" : "r.created_at";
  const clauses: string[] = [];
  const params: unknown[] = [];
  if (f.status) {
    clauses.push("r.status = ?");
    params.push(f.status);
  }
  if (byDay) clauses.push(`${time} IS NOT NULL`);
  if (f.fromMs !== undefined) {
    clauses.push(`${time} >= ?`);
    params.push(f.fromMs);
  }
  if (f.toMs !== undefined) {
    clauses.push(`${time} < ?`);
    params.push(f.toMs);
  }
  return { time, clauses, params, byDay };
}

export async function listRefundsForAdmin(d1: D1Database, f: RefundFilter & { cursor?: string }, limit = 20) {
  const { time, clauses, params, byDay } = where(f);
  const after = f.cursor ? decodeRefundCursor(f.cursor) : null;
  const filterSql = clauses.length ? `WHERE ${clauses.join(" AND ")}` : "";
  if (after) clauses.push(`(${time} < ? OR (${time} = ? AND r.id < ?))`);
  const pageSql = clauses.length ? `WHERE ${clauses.join(" AND ")}` : "";
  const [page, total] = await d1.batch([
    d1.prepare(
      `SELECT r.*, o.member_id, o.description AS order_description, m.nickname AS member_nickname FROM refunds r
       LEFT JOIN orders o ON o.id = r.order_id LEFT JOIN members m ON m.id = o.member_id
       ${pageSql} ORDER BY ${time} DESC, r.id DESC LIMIT ?`,
    ).bind(...params, ...(after ? [after[0], after[0], after[1]] : []), limit + 1),
    // The range's total is shown only for a date range, where an index bounds it to those days.
    d1.prepare(`SELECT count(*) AS n, coalesce(sum(r.amount_fen), 0) AS fen FROM refunds r ${byDay ? filterSql : "WHERE 0"}`).bind(...(byDay ? params : [])),
  ]);
  const rows = page.results as RefundListRow[];
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  const sortKey = (r: RefundListRow) => (byDay ? r.settled_at! : r.created_at);
  const t = total.results[0] as { n: number; fen: number };
  return { items, nextCursor: rows.length > limit && last ? encodeCursor([sortKey(last), last.id]) : null, total: byDay ? { count: t.n, fen: t.fen } : null };
}
