import { env } from "cloudflare:workers";
import { chapters, courses, entitlements, lessons, settings } from "../../schema";
import { createDb } from "../../worker/http/middleware";
import { mintMember } from "../support/api";

export const db = createDb(env.DB);

let seq = 0;
const unique = (prefix: string) => `${prefix}-${++seq}-${crypto.randomUUID().slice(0, 8)}`;

export const adminToken = async () => (await mintMember({ roles: ["admin"] })).token;

type LessonSeed = { kind?: "video" | "audio" | "article"; isTrial?: boolean; durationSec?: number; mediaKey?: string | null };

/** A course with one chapter and the given lessons, inserted directly (not through the admin API). */
export async function seedCourse(o: { status?: "draft" | "published"; priceFen?: number; sortOrder?: number; title?: string; lessons?: LessonSeed[] } = {}) {
  const courseId = unique("crs");
  const chapterId = unique("chp");
  const now = new Date();
  await db.insert(courses).values({
    id: courseId,
    title: o.title ?? `Course ${courseId}`,
    priceFen: o.priceFen ?? 9900,
    status: o.status ?? "published",
    sortOrder: o.sortOrder ?? 0,
    createdAt: now,
    updatedAt: now,
  });
  await db.insert(chapters).values({ id: chapterId, courseId, title: "第一章", sortOrder: 1 });
  const lessonIds: string[] = [];
  for (const [i, l] of (o.lessons ?? [{ isTrial: true }, {}]).entries()) {
    const id = unique("lsn");
    lessonIds.push(id);
    await db.insert(lessons).values({
      id,
      courseId,
      chapterId,
      title: `Lesson ${i + 1}`,
      kind: l.kind ?? "video",
      durationSec: l.durationSec ?? 600,
      isTrial: l.isTrial ?? false,
      sortOrder: i + 1,
      mediaKey: l.mediaKey === undefined ? null : l.mediaKey,
    });
  }
  return { courseId, chapterId, lessonIds };
}

export async function grant(memberId: string, courseId: string, revoked = false) {
  await db.insert(entitlements).values({
    memberId,
    courseId,
    source: "order",
    orderId: unique("ord"),
    grantedAt: new Date(),
    revokedAt: revoked ? new Date() : null,
  });
}

export async function setAllAccessTiers(value: unknown) {
  await db
    .insert(settings)
    .values({ key: "courses.allAccessTiers", value, updatedAt: new Date() })
    .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: new Date() } });
}

/** Puts an object in the local R2 bucket and points the lesson at it, as an upload would. */
export async function storeMedia(lessonId: string, bytes: Uint8Array | string, contentType = "video/mp4") {
  const key = `lessons/${lessonId}/${crypto.randomUUID()}`;
  await env.MEDIA.put(key, bytes, { httpMetadata: { contentType } });
  const size = typeof bytes === "string" ? new TextEncoder().encode(bytes).length : bytes.length;
  const { eq } = await import("drizzle-orm");
  await db.update(lessons).set({ mediaKey: key, mediaContentType: contentType, mediaBytes: size }).where(eq(lessons.id, lessonId));
  return key;
}
