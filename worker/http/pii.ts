import { base64ToBytes, bytesToBase64 } from "./encoding";

/**
 * Personal data at rest (a payee's real name, a phone number): AES-256-GCM with a key derived (HKDF-SHA-256) from
 * the `PII_ENCRYPTION_KEY` secret, a fresh 96-bit IV per value, and the field's context (e.g. `real_name:<member>`)
 * as associated data, so a ciphertext copied to another row or field does not open. Stored as `v1.<iv>.<sealed>`.
 * `piiSearchHash` is an HMAC of the normalised value with a second derived key: equal values can be found without
 * storing them in clear, and the hash is useless without the secret.
 */
type PiiEnv = Pick<Env, "PII_ENCRYPTION_KEY">;

const encoder = new TextEncoder();
const keys = new Map<string, Promise<{ aes: CryptoKey; hmac: CryptoKey }>>();

function derivedKeys(secret: string) {
  let k = keys.get(secret);
  if (!k) {
    k = (async () => {
      if (!secret || secret.length < 32) throw new Error("PII_ENCRYPTION_KEY must be set (32+ characters)");
      const base = await crypto.subtle.importKey("raw", encoder.encode(secret), "HKDF", false, ["deriveKey"]);
      const params = (info: string) => ({ name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: encoder.encode(info) });
      const aes = await crypto.subtle.deriveKey(params("pii-aes-gcm-v1"), base, { name: "AES-GCM", length: 256 }, false, ["encrypt", "decrypt"]);
      const hmac = await crypto.subtle.deriveKey(params("pii-search-hmac-v1"), base, { name: "HMAC", hash: "SHA-256", length: 256 }, false, ["sign"]);
      return { aes, hmac };
    })();
    keys.set(secret, k);
    k.catch(() => keys.delete(secret));
  }
  return k;
}

export async function sealPii(env: PiiEnv, context: string, plaintext: string): Promise<string> {
  const { aes } = await derivedKeys(env.PII_ENCRYPTION_KEY);
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, aes, encoder.encode(plaintext));
  return `v1.${bytesToBase64(iv)}.${bytesToBase64(sealed)}`;
}

/** Throws when the value was not sealed with this key for this context. */
export async function openPii(env: PiiEnv, context: string, stored: string): Promise<string> {
  const [version, ivText, sealedText] = stored.split(".");
  const iv = base64ToBytes(ivText ?? "");
  const sealed = base64ToBytes(sealedText ?? "");
  if (version !== "v1" || !iv || iv.length !== 12 || !sealed) throw new Error("not a sealed value");
  const { aes } = await derivedKeys(env.PII_ENCRYPTION_KEY);
  const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv, additionalData: encoder.encode(context) }, aes, sealed);
  return new TextDecoder().decode(plain);
}

export async function piiSearchHash(env: PiiEnv, kind: string, value: string): Promise<string> {
  const { hmac } = await derivedKeys(env.PII_ENCRYPTION_KEY);
  const mac = await crypto.subtle.sign("HMAC", hmac, encoder.encode(`${kind}:${value.trim()}`));
  return [...new Uint8Array(mac)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** 张三 → *三, 欧阳娜娜 → ***娜: only the last character shows (WeChat's own masking of names). */
export function maskName(name: string): string {
  const chars = [...name];
  return chars.length <= 1 ? "*" : "*".repeat(chars.length - 1) + chars[chars.length - 1];
}

/** 13812345678 → 138****5678. */
export function maskPhone(phone: string): string {
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : "****";
}
