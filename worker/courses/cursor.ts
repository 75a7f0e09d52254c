import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../http/cursor";

/** Keyset cursor over (sortOrder, id), the order of `courses_status_sort_idx`; opaque to clients. */
export type CourseCursor = { sortOrder: number; id: string };

const CourseKey = z.tuple([cursorKey.sortOrder, cursorKey.id]);

export const encodeCourseCursor = (c: CourseCursor) => encodeCursor([c.sortOrder, c.id]);

export function decodeCourseCursor(text: string): CourseCursor | null {
  const key = decodeCursor(text, CourseKey);
  return key ? { sortOrder: key[0], id: key[1] } : null;
}

/** Fetches limit + 1 rows; the extra one only says whether another page exists. */
export function page<T extends CourseCursor>(rows: T[], limit: number) {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last ? encodeCourseCursor(last) : null };
}
