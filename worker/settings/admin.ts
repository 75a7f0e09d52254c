import { auditStatement } from "../audit/log";
import type { Principal } from "../http/auth";
import { ApiError, type FieldError } from "../http/problem";
import type { SettingDeclaration } from "./declare";
import { readSetting, settingsStatement, type StoredSetting } from "./read";
import { SETTINGS, settingByKey } from "./registry";

export type SettingView = {
  key: string;
  label: string;
  help: string;
  value: unknown;
  defaultValue: unknown;
  /** false when unset or malformed (the default is in effect). */
  isSet: boolean;
  malformed: boolean;
};

function views(rows: readonly StoredSetting[]): SettingView[] {
  return SETTINGS.map((d) => {
    const read = readSetting(d, rows);
    return { key: d.key, label: d.label, help: d.help, value: read.value, defaultValue: d.default, isSet: read.stored && !read.malformed, malformed: read.malformed };
  });
}

/** Every declared setting with the value in effect (one query). */
export async function listSettings(d1: D1Database): Promise<SettingView[]> {
  return views((await settingsStatement(d1, SETTINGS).all<StoredSetting>()).results);
}

/**
 * Validates every key of the patch against its declaration (unknown keys and invalid values are 422, nothing
 * written), then writes the changed keys and one audit row per key (before/after) in ONE batch: all or nothing.
 */
export async function changeSettings(d1: D1Database, actor: Principal, patch: Record<string, unknown>, requestId?: string): Promise<SettingView[]> {
  const errors: FieldError[] = [];
  const accepted: [SettingDeclaration, unknown][] = [];
  for (const [key, value] of Object.entries(patch)) {
    const decl = settingByKey(key);
    if (!decl) {
      errors.push({ path: key, message: "没有这个设置项 (unknown setting)." });
      continue;
    }
    const parsed = decl.schema.safeParse(value);
    if (!parsed.success) errors.push(...parsed.error.issues.map((i) => ({ path: [key, ...i.path].join("."), message: i.message })));
    else accepted.push([decl, parsed.data]);
  }
  if (errors.length) throw ApiError.validation(errors, "设置未保存：请检查标出的设置项 (no setting was changed).");
  if (!accepted.length) throw ApiError.validation([{ path: "", message: "至少提交一个设置项。" }]);

  const current = (await settingsStatement(d1, SETTINGS).all<StoredSetting>()).results;
  const now = Date.now();
  const statements: D1PreparedStatement[] = [];
  for (const [decl, value] of accepted) {
    const before = readSetting(decl, current);
    const json = JSON.stringify(value);
    // The value in effect already (stored, or the default): nothing to write or audit.
    if (!before.malformed && JSON.stringify(before.value) === json) continue;
    statements.push(
      d1.prepare("INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3) ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3").bind(decl.key, json, now),
      auditStatement(d1, {
        actorId: actor.adminId ?? actor.memberId,
        actorKind: "admin",
        action: "setting.changed",
        targetType: "setting",
        targetId: decl.key,
        before: { value: before.stored ? before.value : null, ...(before.malformed ? { malformed: true } : {}) },
        after: { value },
        requestId,
      }),
    );
  }
  if (statements.length) await d1.batch(statements);
  const byKey = new Map(current.map((r) => [r.key, r]));
  for (const [decl, value] of accepted) byKey.set(decl.key, { key: decl.key, value: JSON.stringify(value) });
  return views([...byKey.values()]);
}
