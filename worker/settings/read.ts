import { inArray, sql } from "drizzle-orm";
import { settings } from "../../schema";
import type { Db } from "../http/context";
import { createLogger } from "../http/log";
import type { SettingDeclaration } from "./declare";

/** A stored row with its value as the JSON text in the column (not yet parsed). */
export type StoredSetting = { key: string; value: string };

const keysOf = (decls: readonly SettingDeclaration[]) => decls.map((d) => d.key);

/**
 * The rows of the given settings, as one statement to put into the batch a route already runs: settings are read
 * on every request that needs them (no cache), so a change is seen by the next request.
 */
export function settingsQuery(db: Db, decls: readonly SettingDeclaration[]) {
  // The raw column text: parsing happens in settingValue, where a malformed value can fall back to the default.
  return db.select({ key: settings.key, value: sql<string>`"settings"."value"` }).from(settings).where(inArray(settings.key, keysOf(decls)));
}

/** The same read for raw D1 batches. */
export function settingsStatement(d1: D1Database, decls: readonly SettingDeclaration[]) {
  const keys = keysOf(decls);
  return d1.prepare(`SELECT key, value FROM settings WHERE key IN (${keys.map(() => "?").join(", ")})`).bind(...keys);
}

export type SettingRead<T> = { value: T; stored: boolean; malformed: boolean };

/** The stored value when it passes the declaration's schema; otherwise the default (a malformed one is logged). */
export function readSetting<T>(decl: SettingDeclaration<T>, rows: readonly StoredSetting[] | undefined): SettingRead<T> {
  const row = rows?.find((r) => r.key === decl.key);
  if (!row) return { value: decl.default, stored: false, malformed: false };
  let json: unknown;
  try {
    json = JSON.parse(row.value);
  } catch {
    return malformed(decl, row.value);
  }
  const parsed = decl.schema.safeParse(json);
  return parsed.success ? { value: parsed.data, stored: true, malformed: false } : malformed(decl, row.value);
}

export function settingValue<T>(decl: SettingDeclaration<T>, rows: readonly StoredSetting[] | undefined): T {
  return readSetting(decl, rows).value;
}

/** Rather than open (or close) every course on a typo, use the default and say so in the logs. */
function malformed<T>(decl: SettingDeclaration<T>, stored: string): SettingRead<T> {
  createLogger({ module: "settings" }).warn("malformed setting; using its default", { key: decl.key, stored: stored.slice(0, 200) });
  return { value: decl.default, stored: true, malformed: true };
}
