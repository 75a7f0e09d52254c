import { ApiError } from "../http/problem";
import { decodeWithdrawalCursor, encodeWithdrawalCursor, withdrawalView, type WithdrawalRow, type WithdrawalStatus } from "./views";

/**
 * The console's and the admin API's list: one status oldest first (a queue is worked from its head), or every
 * status newest first; keyset-paginated on (created_at, id), at most `limit + 1` rows read per page.
 */
export async function listWithdrawalsForAdmin(d1: D1Database, q: { status?: WithdrawalStatus; limit: number; cursor?: string; finishedFromMs?: number; finishedToMs?: number }) {
  const at = q.cursor ? decodeWithdrawalCursor(q.cursor) : null;
  if (q.cursor && !at) throw ApiError.validation([{ path: "cursor", message: "Invalid cursor." }]);
  const oldestFirst = q.status !== undefined;
  const cmp = oldestFirst ? ">" : "<";
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.status) {
    where.push("status = ?");
    args.push(q.status);
  }
  // The console's date filter: withdrawals finished (paid, rejected, failed, cancelled) in [from, to).
  if (q.finishedFromMs !== undefined) {
    where.push("finished_at >= ?");
    args.push(q.finishedFromMs);
  }
  if (q.finishedToMs !== undefined) {
    where.push("finished_at < ?");
    args.push(q.finishedToMs);
  }
  if (at) {
    where.push(`(created_at ${cmp} ? OR (created_at = ? AND id ${cmp} ?))`);
    args.push(at.createdAtMs, at.createdAtMs, at.id);
  }
  const order = oldestFirst ? "created_at, id" : "created_at DESC, id DESC";
  const rows = (
    await d1.prepare(`SELECT * FROM withdrawals ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY ${order} LIMIT ?`).bind(...args, q.limit + 1).all<WithdrawalRow>()
  ).results;
  const items = rows.slice(0, q.limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > q.limit && last ? encodeWithdrawalCursor(last.created_at, last.id) : null, view: withdrawalView };
}
