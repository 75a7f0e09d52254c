import { courseSettings } from "../courses/settings";
import { crowdfundingSettings } from "../crowdfunding/settings";
import { memberSettings } from "../members/settings";
import type { SettingDeclaration } from "./declare";

/**
 * Every setting an admin can change. A feature declares its keys in its own `settings.ts` and adds its list here;
 * GET/PATCH /api/admin/settings and the console page 系统设置 follow from this list.
 */
export const SETTINGS: readonly SettingDeclaration[] = [...memberSettings, ...courseSettings, ...crowdfundingSettings] as readonly SettingDeclaration[];

export function settingByKey(key: string): SettingDeclaration | undefined {
  return SETTINGS.find((s) => s.key === key);
}
