import { eq, sql } from "drizzle-orm";
import { lotImages, lots } from "../../schema";
import type { Db } from "../http/context";
import { ApiError } from "../http/problem";
import { lotAuditRow, newLotScopedId, type Actor } from "./admin";
import { lotImageUrl } from "./catalog";

export const LOT_IMAGE_TYPES = ["image/jpeg", "image/png", "image/webp"] as const;
export const LOT_IMAGE_MAX_BYTES = 10 * 1024 * 1024;

/**
 * Stores a picture of a lot in R2 under a fresh key and appends it to the lot's images, audited in the same
 * batch. Lot pictures are public (they are not paid content), so their route is cacheable for good: a key is
 * never reused for other bytes.
 */
export async function uploadLotImage(db: Db, actor: Actor, bucket: R2Bucket, lotId: string, contentType: string, bytes: ArrayBuffer) {
  const [lot] = await db.select({ id: lots.id }).from(lots).where(eq(lots.id, lotId));
  if (!lot) throw ApiError.notFound("No such lot.");
  const type = contentType.split(";")[0].trim().toLowerCase();
  if (!(LOT_IMAGE_TYPES as readonly string[]).includes(type)) {
    throw new ApiError(415, "unsupported-media-type", `A lot image is one of ${LOT_IMAGE_TYPES.join(", ")}.`, undefined, "Unsupported media type");
  }
  if (bytes.byteLength === 0) throw ApiError.validation([{ path: "(body)", message: "The image is empty." }]);
  if (bytes.byteLength > LOT_IMAGE_MAX_BYTES) {
    throw new ApiError(413, "payload-too-large", `A lot image may be at most ${LOT_IMAGE_MAX_BYTES} bytes.`, undefined, "Payload too large");
  }
  const id = newLotScopedId("img");
  const objectKey = `lot-images/${lotId}/${id}`;
  await bucket.put(objectKey, bytes, { httpMetadata: { contentType: type } });
  const now = new Date();
  try {
    const [[row]] = await db.batch([
      db
        .insert(lotImages)
        .values({ id, lotId, objectKey, contentType: type, bytes: bytes.byteLength, position: sql`(select coalesce(max(position), -1) + 1 from lot_images where lot_id = ${lotId})`, createdAt: now })
        .returning(),
      lotAuditRow(db, actor, { action: "lot.image.add", targetId: lotId, after: { imageId: id, contentType: type, bytes: bytes.byteLength } }),
    ]);
    return { id: row.id, url: lotImageUrl(row.objectKey), contentType: row.contentType, bytes: row.bytes };
  } catch (error) {
    await bucket.delete(objectKey);
    throw error;
  }
}

/** Serves a lot image with long-lived public caching and ETag revalidation. */
export async function serveLotImage(bucket: R2Bucket, lotId: string, imageId: string, ifNoneMatch: string | undefined): Promise<Response> {
  const object = await bucket.get(`lot-images/${lotId}/${imageId}`);
  if (!object) throw ApiError.notFound("No such image.");
  const headers = new Headers({
    "cache-control": "public, max-age=31536000, immutable",
    etag: object.httpEtag,
    "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
  });
  if (ifNoneMatch && ifNoneMatch.split(",").some((t) => t.trim() === object.httpEtag)) {
    return new Response(null, { status: 304, headers });
  }
  headers.set("content-length", String(object.size));
  return new Response(object.body, { status: 200, headers });
}
