/**
 * Keyset progress for scheduled jobs that walk a backlog oldest first. Rows a job looks at may stay in its backlog
 * (an unpaid order before its expiry, a refund WeChat is still processing, a call that failed); starting every run at
 * the oldest would then look at the same head forever. Each run instead carries on after the last row the previous
 * run handled, a chunk at a time, and starts again at the oldest once it reaches the end.
 */
export type Keyset = { at: number; id: string };

/** Before every row: `created_at >= -1 AND (created_at > -1 OR id > '')`. */
export const START: Keyset = { at: -1, id: "" };

/**
 * The keyset condition on a `(column, id)` sort key, written so SQLite ranges over an index on the column; bind
 * `at` then `id`.
 */
export const after = (column: string, id = "id") => `${column} >= ? AND (${column} > ? OR ${id} > ?)`;
export const afterParams = (k: Keyset) => [k.at, k.at, k.id];

export async function readCursor(d1: D1Database, job: string): Promise<Keyset> {
  const row = await d1.prepare("SELECT cursor FROM job_cursors WHERE job = ?").bind(job).first<{ cursor: string }>();
  if (!row) return START;
  try {
    const k = JSON.parse(row.cursor) as Keyset;
    return typeof k.at === "number" && typeof k.id === "string" ? k : START;
  } catch {
    return START;
  }
}

export async function saveCursor(d1: D1Database, job: string, k: Keyset, now: Date): Promise<void> {
  await d1
    .prepare("INSERT INTO job_cursors (job, cursor, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (job) DO UPDATE SET cursor = ?2, updated_at = ?3")
    .bind(job, JSON.stringify(k), now.getTime())
    .run();
}

/**
 * Walks a backlog in chunks of `chunkSize`, at most `chunks` per run, from where the last run stopped; `next(from,
 * limit)` reads the chunk after `from`, `handle` deals with each row (and must not throw). A short chunk means the
 * end was reached: the next run starts again at the oldest.
 */
export async function walkBacklog<Row extends { id: string }>(
  d1: D1Database,
  job: string,
  budget: { chunkSize: number; chunks: number },
  keyOf: (row: Row) => number,
  next: (from: Keyset, limit: number) => Promise<Row[]>,
  handle: (row: Row) => Promise<void>,
  now: Date,
): Promise<number> {
  let from = await readCursor(d1, job);
  let seen = 0;
  for (let chunk = 0; chunk < budget.chunks; chunk++) {
    const rows = await next(from, budget.chunkSize);
    for (const row of rows) await handle(row);
    seen += rows.length;
    if (rows.length < budget.chunkSize) {
      from = START;
      break;
    }
    const last = rows[rows.length - 1];
    from = { at: keyOf(last), id: last.id };
  }
  await saveCursor(d1, job, from, now);
  return seen;
}
