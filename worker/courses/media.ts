import { eq } from "drizzle-orm";
import { lessons } from "../../schema";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { auditRow, type Actor } from "./audit";
import { verifyMediaLink } from "./media-signing";

/**
 * What each lesson kind may hold. The mini-program's <video> plays MP4 (H.264/AAC) on every device;
 * InnerAudioContext plays MP3 and AAC/M4A; articles are Markdown, HTML (for <rich-text>) or plain text.
 */
export const MEDIA_TYPES = {
  video: ["video/mp4"],
  audio: ["audio/mpeg", "audio/mp4", "audio/aac", "audio/x-m4a"],
  article: ["text/markdown", "text/html", "text/plain"],
} as const;

const unsupported = (detail: string) => new ApiError(415, "unsupported-media-type", detail, undefined, "Unsupported media type");

function mediaType(header: string | undefined) {
  return header?.split(";")[0].trim().toLowerCase() ?? "";
}

/**
 * Stores the request body as the lesson's media. The object goes to a fresh key, so signed links to the
 * previous upload stop working; the row points at the new object only after R2 holds all of it.
 */
export async function uploadLessonMedia(db: Db, actor: Actor, bucket: R2Bucket, maxBytes: number, lessonId: string, req: Request) {
  const [lesson] = await db.select().from(lessons).where(eq(lessons.id, lessonId));
  if (!lesson) throw ApiError.notFound("No such lesson.");

  const contentType = mediaType(req.headers.get("content-type") ?? undefined);
  const allowed: readonly string[] = MEDIA_TYPES[lesson.kind];
  if (!allowed.includes(contentType)) throw unsupported(`A ${lesson.kind} lesson takes ${allowed.join(", ")}; got ${contentType || "no content type"}.`);

  const lengthHeader = req.headers.get("content-length");
  if (lengthHeader === null || !/^\d{1,15}$/.test(lengthHeader)) {
    throw new ApiError(411, "length-required", "Send the body with a Content-Length.", undefined, "Length required");
  }
  const length = Number(lengthHeader);
  if (length === 0 || !req.body) throw ApiError.validation([{ path: "(body)", message: "The body is empty." }]);
  if (length > maxBytes) {
    throw new ApiError(413, "payload-too-large", `Media may be at most ${maxBytes} bytes; this is ${length}.`, undefined, "Payload too large");
  }

  const key = `lessons/${lessonId}/${crypto.randomUUID()}`;
  // A FixedLengthStream makes R2 reject a body that is longer or shorter than announced.
  const fixed = new FixedLengthStream(length);
  const piping = req.body.pipeTo(fixed.writable);
  try {
    await Promise.all([bucket.put(key, fixed.readable, { httpMetadata: { contentType } }), piping]);
  } catch {
    await bucket.delete(key);
    throw ApiError.badRequest("The body did not match its Content-Length.");
  }

  const [[row]] = await db.batch([
    db.update(lessons).set({ mediaKey: key, mediaContentType: contentType, mediaBytes: length }).where(eq(lessons.id, lessonId)).returning(),
    auditRow(db, actor, {
      action: "lesson.media.upload",
      targetType: "lesson",
      targetId: lessonId,
      before: lesson.mediaKey ? { mediaKey: lesson.mediaKey, mediaBytes: lesson.mediaBytes } : undefined,
      after: { mediaKey: key, mediaContentType: contentType, mediaBytes: length },
    }),
  ]);
  if (lesson.mediaKey) await bucket.delete(lesson.mediaKey);
  return row;
}

/**
 * Media is served from the API's origin, which is also the console's, so nothing behind a signed link may run
 * here: a sandbox CSP (an opaque origin, no scripts), no MIME sniffing, and HTML only as a download. The
 * mini-program loses nothing: it plays video/audio in its own players and reads articles with wx.request.
 * `default-src 'none'` goes on documents only, so a browser's own media page can still play video and audio.
 */
export function mediaIsolationHeaders(contentType: string | undefined): Record<string, string> {
  const type = mediaType(contentType);
  const document = !type.startsWith("video/") && !type.startsWith("audio/");
  const shownAsText = type === "text/markdown" || type === "text/plain";
  return {
    "content-security-policy": document ? "sandbox; default-src 'none'" : "sandbox",
    "x-content-type-options": "nosniff",
    ...(document && !shownAsText ? { "content-disposition": "attachment" } : {}),
  };
}

type ByteRange = { offset: number; length: number };

/** One `bytes=` range (what media players send); null for none, "unsatisfiable" when it cannot be served. */
export function parseRange(header: string | null, size: number): ByteRange | null | "unsatisfiable" {
  if (!header) return null;
  const m = header.trim().match(/^bytes=(\d*)-(\d*)$/);
  if (!m || (m[1] === "" && m[2] === "")) return null; // not a form we serve: send the whole object (RFC 9110 allows ignoring Range)
  if (m[1] === "") {
    const suffix = Math.min(Number(m[2]), size);
    return suffix === 0 ? "unsatisfiable" : { offset: size - suffix, length: suffix };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

/** Streams the object behind a signed link; any link that does not verify, or has expired, is 403. */
export async function streamSignedMedia(
  db: Db,
  env: Pick<Env, "MEDIA" | "MEDIA_SIGNING_KEY">,
  lessonId: string,
  q: { exp?: string; sig?: string },
  rangeHeader: string | null,
  now = Date.now(),
) {
  const forbidden = ApiError.forbidden("This media link is not valid or has expired.");
  if (!q.exp || !/^\d{1,12}$/.test(q.exp) || !q.sig) throw forbidden;
  const exp = Number(q.exp);
  if (exp * 1000 <= now) throw forbidden;
  const [lesson] = await db.select({ mediaKey: lessons.mediaKey }).from(lessons).where(eq(lessons.id, lessonId));
  if (!lesson?.mediaKey || !(await verifyMediaLink(env.MEDIA_SIGNING_KEY, lessonId, lesson.mediaKey, exp, q.sig))) throw forbidden;

  const cacheControl = `private, max-age=${Math.max(0, exp - Math.floor(now / 1000))}`; // per-member link; the player may cache it until expiry
  const headersFor = (object: R2Object) => {
    const headers = new Headers({ "accept-ranges": "bytes", etag: object.httpEtag, "cache-control": cacheControl });
    object.writeHttpMetadata(headers);
    for (const [name, value] of Object.entries(mediaIsolationHeaders(object.httpMetadata?.contentType))) headers.set(name, value);
    return headers;
  };
  const missing = () => ApiError.notFound("The media object is missing.");

  if (!rangeHeader) {
    const whole = await env.MEDIA.get(lesson.mediaKey);
    if (!whole) throw missing();
    const headers = headersFor(whole);
    headers.set("content-length", String(whole.size));
    return new Response(whole.body, { status: 200, headers });
  }
  // A range needs the size first (suffix ranges, 416); one HEAD then one ranged GET.
  const head = await env.MEDIA.head(lesson.mediaKey);
  if (!head) throw missing();
  const headers = headersFor(head);
  const range = parseRange(rangeHeader, head.size);
  if (range === "unsatisfiable") {
    headers.set("content-range", `bytes */${head.size}`);
    return new Response(null, { status: 416, headers });
  }
  const object = await env.MEDIA.get(lesson.mediaKey, range ? { range } : undefined);
  if (!object) throw missing();
  if (!range) {
    headers.set("content-length", String(head.size));
    return new Response(object.body, { status: 200, headers });
  }
  headers.set("content-range", `bytes ${range.offset}-${range.offset + range.length - 1}/${head.size}`);
  headers.set("content-length", String(range.length));
  return new Response(object.body, { status: 206, headers });
}
