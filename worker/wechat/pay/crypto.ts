/**
 * WeChat Pay APIv3 cryptography on WebCrypto only (no node:crypto), so the same code runs in workerd.
 * - signatures: SHA256-RSA2048 = RSASSA-PKCS1-v1_5 with SHA-256, base64
 * - notification resources: AEAD_AES_256_GCM with the APIv3 key, 16-byte tag appended to the ciphertext
 * https://pay.weixin.qq.com/doc/v3/merchant/4012365336 (signing) · https://pay.weixin.qq.com/doc/v3/merchant/4012071382 (decrypting)
 */
import { base64ToBytes, bytesToBase64 } from "../../http/encoding";

const RSA = { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" } as const;
const encoder = new TextEncoder();

/** DER bytes of a PEM block, whatever its label; tolerates `\n` written as two characters (as in .dev.vars). */
export function pemToDer(pem: string): Uint8Array {
  const body = pem
    .replace(/\\n/g, "\n")
    .replace(/-----(BEGIN|END) [A-Z0-9 ]+-----/g, "")
    .replace(/\s+/g, "");
  const der = base64ToBytes(body);
  if (!der || der.length === 0) throw new Error("not a PEM block");
  return der;
}

const privateKeys = new Map<string, Promise<CryptoKey>>();
const publicKeys = new Map<string, Promise<CryptoKey>>();

/** Imports a PKCS#8 PEM RSA private key for signing (cached per isolate: importKey is the slow part). */
export function importPrivateKey(pem: string): Promise<CryptoKey> {
  let key = privateKeys.get(pem);
  if (!key) {
    key = crypto.subtle.importKey("pkcs8", pemToDer(pem), RSA, false, ["sign"]);
    privateKeys.set(pem, key);
    key.catch(() => privateKeys.delete(pem));
  }
  return key;
}

/** Imports an SPKI PEM RSA public key (the WeChat Pay public key, or a merchant public key) for verifying. */
export function importPublicKey(pem: string): Promise<CryptoKey> {
  let key = publicKeys.get(pem);
  if (!key) {
    key = crypto.subtle.importKey("spki", pemToDer(pem), RSA, false, ["verify"]);
    publicKeys.set(pem, key);
    key.catch(() => publicKeys.delete(pem));
  }
  return key;
}

export async function signSha256WithRsa(privateKey: CryptoKey, message: string): Promise<string> {
  return bytesToBase64(await crypto.subtle.sign(RSA, privateKey, encoder.encode(message)));
}

/** `false` for a wrong, truncated or non-base64 signature; never throws on attacker input. */
export async function verifySha256WithRsa(publicKey: CryptoKey, message: string, signatureBase64: string): Promise<boolean> {
  const signature = base64ToBytes(signatureBase64);
  if (!signature || signature.length === 0) return false;
  try {
    return await crypto.subtle.verify(RSA, publicKey, signature, encoder.encode(message));
  } catch {
    return false;
  }
}

async function aesKey(apiV3Key: string, usage: "encrypt" | "decrypt") {
  // The APIv3 key is a 32-character string used as raw bytes (AES-256); shorter keys are accepted as AES-128/192.
  return crypto.subtle.importKey("raw", encoder.encode(apiV3Key), { name: "AES-GCM" }, false, [usage]);
}

/** Decrypts a notification `resource`; throws when the key, nonce, associated data or tag do not match. */
export async function decryptAeadAes256Gcm(apiV3Key: string, associatedData: string, nonce: string, ciphertextBase64: string): Promise<string> {
  const ciphertext = base64ToBytes(ciphertextBase64);
  if (!ciphertext || ciphertext.length < 16) throw new Error("ciphertext is not base64 or too short");
  const key = await aesKey(apiV3Key, "decrypt");
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: encoder.encode(nonce), additionalData: encoder.encode(associatedData), tagLength: 128 },
    key,
    ciphertext,
  );
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(plain);
}

export async function encryptAeadAes256Gcm(apiV3Key: string, associatedData: string, nonce: string, plaintext: string): Promise<string> {
  const key = await aesKey(apiV3Key, "encrypt");
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv: encoder.encode(nonce), additionalData: encoder.encode(associatedData), tagLength: 128 },
    key,
    encoder.encode(plaintext),
  );
  return bytesToBase64(sealed);
}

const NONCE_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/** A random nonce_str of uppercase letters and digits (WeChat allows up to 32 characters). */
export function randomNonce(length = 32): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += NONCE_ALPHABET[b % NONCE_ALPHABET.length];
  return out;
}

/** The lines WeChat Pay signs: each followed by `\n`, including the last. */
export function signatureMessage(...lines: string[]): string {
  return lines.map((l) => `${l}\n`).join("");
}

const oaepKeys = new Map<string, Promise<CryptoKey>>();

/**
 * Sensitive fields (user_name) are encrypted with RSAES-OAEP (SHA-1, MGF1-SHA-1: WeChat's
 * "RSA/ECB/OAEPWithSHA-1AndMGF1Padding") under the WeChat Pay public key, whose id goes in `Wechatpay-Serial`.
 * https://pay.weixin.qq.com/doc/v3/merchant/4013053257
 */
export async function encryptSensitiveField(publicKeyPem: string, plaintext: string): Promise<string> {
  let key = oaepKeys.get(publicKeyPem);
  if (!key) {
    key = crypto.subtle.importKey("spki", pemToDer(publicKeyPem), { name: "RSA-OAEP", hash: "SHA-1" }, false, ["encrypt"]);
    oaepKeys.set(publicKeyPem, key);
    key.catch(() => oaepKeys.delete(publicKeyPem));
  }
  return bytesToBase64(await crypto.subtle.encrypt({ name: "RSA-OAEP" }, await key, new TextEncoder().encode(plaintext)));
}

/** The other side of `encryptSensitiveField` (the WeChat sandbox holds the private key). */
export async function decryptSensitiveField(privateKeyPem: string, ciphertextBase64: string): Promise<string> {
  const key = await crypto.subtle.importKey("pkcs8", pemToDer(privateKeyPem), { name: "RSA-OAEP", hash: "SHA-1" }, false, ["decrypt"]);
  const bytes = base64ToBytes(ciphertextBase64);
  if (!bytes) throw new Error("not base64");
  return new TextDecoder().decode(await crypto.subtle.decrypt({ name: "RSA-OAEP" }, key, bytes));
}
