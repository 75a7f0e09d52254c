/**
 * Beijing time, the clock of members and operators: UTC+8 all year (China has no daylight saving), so a Beijing
 * day is always exactly DAY_MS long and every conversion is a fixed shift. The one place instants become Beijing
 * dates, midnights, wall-clock text and SQL day keys.
 */
export const BEIJING_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;

/** The Beijing calendar date of an instant, "2026-12-01". */
export const beijingDate = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 10);

/** Midnight Beijing time of a YYYY-MM-DD date, as epoch ms. */
export const beijingMidnight = (date: string) => Date.parse(`${date}T00:00:00Z`) - BEIJING_OFFSET_MS;

/** Midnight Beijing time of the day that holds an instant, as epoch ms. */
export const beijingDayStart = (ms: number) => Math.floor((ms + BEIJING_OFFSET_MS) / DAY_MS) * DAY_MS - BEIJING_OFFSET_MS;

/** An instant as Beijing wall time, "2026-12-01 09:30:00". */
export const beijingDateTime = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19).replace("T", " ");

/** An instant as RFC 3339 in China Standard Time, "2026-12-01T09:30:00+08:00" (WeChat Pay's time fields). */
export const beijingRfc3339 = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().replace(/\.\d{3}Z$/, "+08:00");

/** An instant as the value of a `datetime-local` input read in Beijing time, "2026-12-01T09:30". */
export const beijingLocalInput = (ms: number) => new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 16);

/** A `datetime-local` value ("2026-12-01T20:00", seconds optional) typed in Beijing time → ISO-8601 UTC; null when it is not one. */
export function beijingLocalToIso(local: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(local)) return null;
  const ms = Date.parse(`${local.length === 16 ? `${local}:00` : local}Z`);
  return Number.isNaN(ms) ? null : new Date(ms - BEIJING_OFFSET_MS).toISOString();
}

/**
 * SQL for the Beijing date (YYYY-MM-DD) of an epoch-ms column: the key of a daily series. Group by position
 * (`GROUP BY 1`), never by the alias: SQLite resolves a GROUP BY name to a column of the table first, and
 * `withdrawals` has its own `day` column (the request day), which would silently regroup the payouts.
 */
export const beijingDateSql = (column: string) => `strftime('%Y-%m-%d', (${column} + ${BEIJING_OFFSET_MS}) / 1000, 'unixepoch')`;
