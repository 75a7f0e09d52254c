import { z } from "zod";
import { ApiError } from "../../http/problem";
import { decryptAeadAes256Gcm } from "./crypto";
import { signatureProblem, signedMessageFrom, type WechatPayConfig } from "./client";

/**
 * An incoming WeChat Pay notification: the signature is checked over the raw body BEFORE anything is parsed,
 * then the AEAD_AES_256_GCM resource is decrypted with the APIv3 key.
 * https://pay.weixin.qq.com/doc/v3/merchant/4012791861 · https://pay.weixin.qq.com/doc/v3/merchant/4012071382
 */
const Envelope = z.object({
  id: z.string(),
  create_time: z.string(),
  event_type: z.string(),
  resource_type: z.literal("encrypt-resource"),
  resource: z.object({
    algorithm: z.literal("AEAD_AES_256_GCM"),
    ciphertext: z.string(),
    nonce: z.string(),
    associated_data: z.string().optional().default(""),
    original_type: z.string(),
  }),
  summary: z.string().optional(),
});

export type Notification = { id: string; eventType: string; resource: unknown };

export const notificationRefused = (detail: string) => new ApiError(401, "bad-signature", `Notification refused: ${detail}.`, undefined, "Notification signature refused");

/** WeChat's notifications are a few hundred bytes; anything far larger is not one. */
const MAX_NOTIFICATION_BYTES = 64 * 1024;

export async function openNotification(config: WechatPayConfig, headers: Headers, rawBody: string, nowMs = Date.now()): Promise<Notification> {
  if (rawBody.length > MAX_NOTIFICATION_BYTES) throw notificationRefused("body too large");
  const problem = await signatureProblem(config, signedMessageFrom(headers, rawBody), nowMs);
  if (problem) throw notificationRefused(problem);
  let parsed: z.infer<typeof Envelope>;
  try {
    parsed = Envelope.parse(JSON.parse(rawBody));
  } catch {
    throw ApiError.badRequest("The notification body is not a WeChat Pay notification.");
  }
  let plaintext: string;
  try {
    const r = parsed.resource;
    plaintext = await decryptAeadAes256Gcm(config.apiV3Key, r.associated_data, r.nonce, r.ciphertext);
  } catch {
    throw ApiError.badRequest("The notification resource does not decrypt with the APIv3 key.");
  }
  try {
    return { id: parsed.id, eventType: parsed.event_type, resource: JSON.parse(plaintext) };
  } catch {
    throw ApiError.badRequest("The decrypted resource is not JSON.");
  }
}
