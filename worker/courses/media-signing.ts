/**
 * Short-lived media links: `/media/<lessonId>?exp=<unix seconds>&sig=<base64url HMAC-SHA256>`.
 * The MAC covers the lesson id, the R2 object key and the expiry, so a link cannot be moved to another
 * lesson, outlive its expiry, or survive a re-upload (the lesson then points at a new key).
 * The key is its own secret (MEDIA_SIGNING_KEY), never derived from JWT_SECRET: leaking media links'
 * key must not let anyone mint login tokens, and rotating one must not log everybody out.
 */
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

function toBase64Url(bytes: ArrayBuffer) {
  let s = "";
  for (const b of new Uint8Array(bytes)) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]{43}$/.test(text)) return null; // exactly 32 bytes, unpadded
  const bytes = Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/") + "="), (ch) => ch.charCodeAt(0));
  // atob ignores the spare low bits of the last character; only the canonical spelling is accepted.
  return toBase64Url(bytes.buffer) === text ? bytes : null;
}

export async function signMediaLink(secret: string | undefined, lessonId: string, objectKey: string, exp: number) {
  const mac = await crypto.subtle.sign("HMAC", await signingKey(secret), message(lessonId, objectKey, exp));
  return toBase64Url(mac);
}

/** Constant-time check (WebCrypto verify) of a link's signature; the caller checks the expiry. */
export async function verifyMediaLink(secret: string | undefined, lessonId: string, objectKey: string, exp: number, sig: string) {
  const mac = fromBase64Url(sig);
  if (!mac) return false;
  return crypto.subtle.verify("HMAC", await signingKey(secret), mac, message(lessonId, objectKey, exp));
}
