/**
 * Short-lived media links: `/media/<lessonId>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>`.
 * The MAC covers the lesson id, the R2 object key and the expiry, so a link cannot be moved to another
 * lesson, outlive its expiry, or survive a re-upload (the lesson then points at a new key).
 * The key is its own secret (MEDIA_SIGNING_KEY), never derived from JWT_SECRET: leaking media links'
 * key must not let anyone mint login tokens, and rotating one must not log everybody out.
 */
import { base64UrlToBytes, bytesToBase64Url } from "../http/encoding";

const keys = new Map<string, Promise<CryptoKey>>();

function signingKey(secret: string | undefined): Promise<CryptoKey> {
  if (!secret || secret.length < 32) throw new Error("MEDIA_SIGNING_KEY must be set (32+ characters)");
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]);
    keys.set(secret, key);
  }
  return key;
}

function message(lessonId: string, objectKey: string, exp: number) {
  return new TextEncoder().encode(`media-link:v1\n${lessonId}\n${objectKey}\n${exp}`);
}

function macFromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null; // exactly 32 bytes, unpadded
  const bytes = base64UrlToBytes(text);
  // atob ignores the spare low bits of the last character; only the canonical spelling is accepted.
  return bytes && bytesToBase64Url(bytes) === text ? bytes : null;
}

export async function signMediaLink(secret: string | undefined, lessonId: string, objectKey: string, exp: number) {
  const mac = await crypto.subtle.sign("HMAC", await signingKey(secret), message(lessonId, objectKey, exp));
  return bytesToBase64Url(mac);
}

/** Constant-time check (WebCrypto verify) of a link's signature; the caller checks the expiry. */
export async function verifyMediaLink(secret: string | undefined, lessonId: string, objectKey: string, exp: number, sig: string) {
  const mac = macFromBase64Url(sig);
  if (!mac) return false;
  return crypto.subtle.verify("HMAC", await signingKey(secret), mac, message(lessonId, objectKey, exp));
}
