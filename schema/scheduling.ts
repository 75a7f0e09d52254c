import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Where a scheduled job walking a backlog stopped (keyset progress): the next run carries on after it instead of
 * starting again at rows that are still waiting, so a head of long-waiting rows cannot hold up the tail.
 */
export const jobCursors = sqliteTable("job_cursors", {
  /** The job and the backlog it walks, e.g. `settle-overdue-payments:orders`. */
  job: text().primaryKey(),
  /** JSON `{ at, id }`: the sort key of the last row handled. */
  cursor: text().notNull(),
  updatedAt: integer({ mode: "timestamp_ms" }).notNull(),
});
