import { z } from "@hono/zod-openapi";
import { base64UrlToBytes, bytesToBase64Url } from "./encoding";

/**
 * Opaque keyset cursors for every paginated list: base64url of a JSON tuple holding the last row's sort key.
 * Clients pass them back untouched; anything that does not decode to the expected tuple is not ours.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return bytesToBase64Url(new TextEncoder().encode(JSON.stringify(key)));
}

/** The key a cursor carries, checked against the list's tuple schema; null for a forged or foreign cursor. */
export function decodeCursor<T extends z.ZodType>(text: string, key: T): z.infer<T> | null {
  if (text.length > 512) return null;
  try {
    const bytes = base64UrlToBytes(text);
    if (!bytes) return null;
    const json: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes));
    const parsed = key.safeParse(json);
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Building blocks for cursor tuples. */
export const cursorKey = {
  timestampMs: z.number().int().nonnegative().max(8.64e15),
  sequence: z.number().int().nonnegative(),
  sortOrder: z.number().int(),
  id: z.string().min(1).max(64),
};

/** `?limit=` of every list (docs/http.md: default 20, at most 100). */
export const listLimit = z.coerce.number().int().min(1).max(100).default(20).openapi({ example: 20 });

/**
 * `?cursor=` of a list whose cursors `decode` reads: a cursor that is not this list's is refused as bad input,
 * never read as the first page.
 */
export const listCursor = (decode: (text: string) => unknown) =>
  z
    .string()
    .max(200)
    .refine((text) => decode(text) !== null, "Not a cursor from this list.")
    .optional()
    .openapi({ param: { name: "cursor", in: "query" } });

/** A page of a list, as every list answers (docs/http.md): `{ items, nextCursor }`. */
export const pageOf = <T extends z.ZodTypeAny>(item: T) => z.object({ items: z.array(item), nextCursor: z.string().nullable() });
