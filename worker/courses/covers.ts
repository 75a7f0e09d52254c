import { eq } from "drizzle-orm";
import { courses } from "../../schema";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { updateCourse } from "./admin";
import type { Actor } from "./audit";

/** A course cover may be at most this large (a phone photo resized for a card is far smaller). */
export const COVER_MAX_BYTES = 2 * 1024 * 1024;

/** The cover formats, named by the file's own first bytes (never by a browser's claim or a file name). */
const COVER_FORMATS = [
  { ext: "png", contentType: "image/png", is: (b: Uint8Array) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) },
  { ext: "jpg", contentType: "image/jpeg", is: (b: Uint8Array) => startsWith(b, [0xff, 0xd8, 0xff]) },
  // RIFF....WEBP
  { ext: "webp", contentType: "image/webp", is: (b: Uint8Array) => startsWith(b, [0x52, 0x49, 0x46, 0x46]) && startsWith(b.subarray(8), [0x57, 0x45, 0x42, 0x50]) },
] as const;
export type CoverExt = (typeof COVER_FORMATS)[number]["ext"];

function startsWith(bytes: Uint8Array, prefix: readonly number[]) {
  return bytes.length >= prefix.length && prefix.every((v, i) => bytes[i] === v);
}

/** The public path of a stored cover: its content hash names it, so its bytes never change (cacheable for good). */
export const coverPath = (hash: string, ext: string) => `/media/covers/${hash}.${ext}`;
const coverKey = (hash: string, ext: string) => `covers/${hash}.${ext}`;

/** The cover format of these bytes, or a 415 problem (nothing stored). */
export function sniffCover(bytes: Uint8Array) {
  const format = COVER_FORMATS.find((f) => f.is(bytes));
  if (!format) throw new ApiError(415, "unsupported-media-type", "A course cover is a PNG, JPEG or WebP image.", undefined, "Unsupported media type");
  return format;
}

/**
 * Stores an uploaded cover in R2 under the hash of its bytes and points the course's coverUrl at the public route
 * serving it, through the same update (and audit row) as any course edit. The file is checked first — the course
 * exists, the bytes are an image of an accepted format within the limit — so a refused upload stores nothing.
 * The object is put before the course row changes; the same bytes uploaded again (for this or another course) land
 * on the same key, and a replaced cover stays in R2 (another course may show the same picture).
 */
export async function uploadCourseCover(db: Db, actor: Actor, bucket: R2Bucket, courseId: string, bytes: Uint8Array) {
  const [course] = await db.select({ id: courses.id }).from(courses).where(eq(courses.id, courseId));
  if (!course) throw ApiError.notFound("No such course.");
  if (bytes.byteLength === 0) throw ApiError.validation([{ path: "file", message: "The image is empty." }]);
  if (bytes.byteLength > COVER_MAX_BYTES) {
    throw new ApiError(413, "payload-too-large", `A course cover may be at most ${COVER_MAX_BYTES} bytes.`, undefined, "Payload too large");
  }
  const format = sniffCover(bytes);
  const hash = [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const key = coverKey(hash, format.ext);
  if (!(await bucket.head(key))) await bucket.put(key, bytes, { httpMetadata: { contentType: format.contentType } });
  return updateCourse(db, actor, courseId, { coverUrl: coverPath(hash, format.ext) });
}

/** Serves a stored cover: public, cached for a year (its name is its content), ETag revalidation, no sniffing. */
export async function serveCourseCover(bucket: R2Bucket, file: string, ifNoneMatch: string | undefined): Promise<Response> {
  const match = /^([0-9a-f]{64})\.(png|jpg|webp)$/.exec(file);
  const key = match ? coverKey(match[1], match[2]) : null;
  // A revalidation is answered from the object's metadata alone; only a 200 reads the bytes.
  const head = key ? await bucket.head(key) : null;
  if (!key || !head) throw ApiError.notFound("No such cover.");
  const headers = new Headers({
    "cache-control": "public, max-age=31536000, immutable",
    etag: head.httpEtag,
    "content-type": head.httpMetadata?.contentType ?? "application/octet-stream",
    "x-content-type-options": "nosniff",
  });
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === head.httpEtag || t.trim() === "*")) return new Response(null, { status: 304, headers });
  const object = await bucket.get(key);
  if (!object) throw ApiError.notFound("No such cover.");
  headers.set("content-length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}
