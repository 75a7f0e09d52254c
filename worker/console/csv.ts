import { beijingDateTime } from "../calendar/beijing";
import { fenToYuan } from "./money";

/**
 * The console's one CSV writer: every export (members, orders, commissions, payouts) goes through it, so escaping,
 * the BOM, yuan and Beijing time are the same everywhere. Exports stream: rows are read in bounded chunks and written
 * as they come, so an export never holds a whole table.
 */
export type CsvValue = string | number | null | undefined;
export type CsvColumn<Row> = { header: string; value: (row: Row) => CsvValue };

/**
 * One CSV cell. Cells a spreadsheet would read as a formula (starting with = + - @, or a tab / carriage return)
 * get a leading apostrophe (OWASP's CSV injection advice); quotes are doubled and every cell is quoted.
 */
export function csvCell(value: CsvValue): string {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export const csvLine = (cells: readonly CsvValue[]) => `${cells.map(csvCell).join(",")}\r\n`;

/** Fen as yuan with two decimals, without the ¥ (a number a spreadsheet can sum): 1230 → "12.30". */
export const csvYuan = (fen: number | null | undefined) => (fen === null || fen === undefined ? "" : fenToYuan(fen));

/** Epoch ms (or a Date) as Beijing wall time, "2026-03-01 08:30:00"; empty when absent. */
export function csvBeijingTime(at: number | Date | null | undefined): string {
  if (at === null || at === undefined) return "";
  const ms = typeof at === "number" ? at : at.getTime();
  return beijingDateTime(ms);
}

/** Rows in chunks of at most `size`, each read after the last key of the one before (keyset, never OFFSET). */
export async function* keysetChunks<Row>(read: (after: string | null, size: number) => Promise<Row[]>, keyOf: (row: Row) => string, size = 500): AsyncGenerator<Row[]> {
  let after: string | null = null;
  for (;;) {
    const rows = await read(after, size);
    if (rows.length > 0) yield rows;
    if (rows.length < size) return;
    after = keyOf(rows[rows.length - 1]!);
  }
}

/**
 * A streamed CSV download: UTF-8 with a BOM (so Excel reads the Chinese), CRLF lines, the header row, then each chunk
 * as it is read.
 */
export function csvResponse<Row>(filename: string, columns: readonly CsvColumn<Row>[], chunks: AsyncIterable<Row[]>): Response {
  const encoder = new TextEncoder();
  const iterator = chunks[Symbol.asyncIterator]();
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(encoder.encode(`\uFEFF${csvLine(columns.map((c) => c.header))}`));
        return;
      }
      const next = await iterator.next();
      if (next.done) return controller.close();
      controller.enqueue(encoder.encode(next.value.map((row) => csvLine(columns.map((c) => c.value(row)))).join("")));
    },
    async cancel() {
      await iterator.return?.(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${filename}"`,
      "cache-control": "no-store",
    },
  });
}
