import type { Context } from "hono";

/** The form body, parsed once per request (the CSRF middleware and the handler both read it; Hono caches it). */
export async function formEntries(c: Context): Promise<Map<string, unknown>> {
  const type = c.req.header("content-type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) return new Map();
  try {
    return new Map(Object.entries(await c.req.parseBody()));
  } catch {
    return new Map();
  }
}

/** A text field of the form ("" when absent or a file). */
export function field(form: Map<string, unknown>, name: string): string {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
}
