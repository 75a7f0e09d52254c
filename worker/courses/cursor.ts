/** Keyset cursor over (sortOrder, id), the order of `courses_status_sort_idx`; opaque to clients. */
export type CourseCursor = { sortOrder: number; id: string };

export function encodeCursor(c: CourseCursor): string {
  return btoa(JSON.stringify([c.sortOrder, c.id])).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(text: string): CourseCursor | null {
  try {
    const json: unknown = JSON.parse(atob(text.replace(/-/g, "+").replace(/_/g, "/")));
    if (!Array.isArray(json) || json.length !== 2) return null;
    const [sortOrder, id] = json;
    if (!Number.isSafeInteger(sortOrder) || typeof id !== "string" || id.length === 0 || id.length > 64) return null;
    return { sortOrder, id };
  } catch {
    return null;
  }
}

/** Fetches limit + 1 rows; the extra one only says whether another page exists. */
export function page<T extends CourseCursor>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last) : null };
}
