import type { z } from "zod";

/**
 * One admin-changeable setting, declared once by the domain that uses it: its key, the zod schema every stored
 * and submitted value must pass, the default used when it is unset or malformed, and the label the console shows.
 */
export type SettingDeclaration<T = unknown> = {
  key: string;
  label: string;
  /** A sentence for the console: what the value means and its unit. */
  help: string;
  schema: z.ZodType<T>;
  default: T;
};

export function declareSetting<T>(d: SettingDeclaration<T>): SettingDeclaration<T> {
  return d;
}
