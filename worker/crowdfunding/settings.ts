import { z } from "zod";

/**
 * The crowdfunding module's settings. Until the typed settings module exists they are read here, one key at a
 * time, from the `settings` table (key → JSON); a malformed or missing value falls back to the default.
 */
export const CROWDFUNDING_SETTINGS = {
  /**
   * Distinct shareholders across all rounds (Securities Law art. 9–10: more than 200 specific people makes an
   * offering public). 50 where the holding vehicle is a limited partnership (Partnership Enterprise Law art. 61).
   */
  "crowdfunding.holderCap": { schema: z.number().int().min(1).max(200), fallback: 200, label: "股东人数上限（≤200）" },
} as const;

type Keys = keyof typeof CROWDFUNDING_SETTINGS;

export async function settingValue<K extends Keys>(d1: D1Database, key: K): Promise<number> {
  return (await settingValues(d1, [key]))[0];
}

/** Several keys in one query, to put into a caller's batch; `settingsFrom` reads its rows. */
export const settingsQuery = (d1: D1Database, keys: Keys[]) => d1.prepare(`SELECT key, value FROM settings WHERE key IN (${keys.map(() => "?").join(", ")})`).bind(...keys);

export const settingsFrom = (keys: Keys[], rows: { key: string; value: string }[]) => keys.map((key) => parse(key, rows.find((r) => r.key === key)?.value));

export async function settingValues<K extends Keys>(d1: D1Database, keys: K[]): Promise<number[]> {
  const { results } = await settingsQuery(d1, keys).all<{ key: string; value: string }>();
  return settingsFrom(keys, results);
}

function parse(key: Keys, stored: string | undefined): number {
  const spec = CROWDFUNDING_SETTINGS[key];
  if (stored === undefined) return spec.fallback;
  try {
    const parsed = spec.schema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : spec.fallback;
  } catch {
    return spec.fallback;
  }
}
