import { Secret, TOTP } from "otpauth";

/** RFC 6238 as authenticator apps implement it: HMAC-SHA1, 6 digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;
/** One step either side tolerates a phone clock about 30 s off, and no more. */
export const TOTP_WINDOW = 1;

/**
 * The time step the code belongs to, or null when it matches none within the window.
 * Callers store the accepted step and refuse any step not greater than it, so a code works once.
 */
export function matchTotpStep(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  let secret: Secret;
  try {
    secret = Secret.fromBase32(secretBase32);
  } catch {
    return null;
  }
  const delta = TOTP.validate({ token: code, secret, algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, timestamp: now, window: TOTP_WINDOW });
  if (delta === null) return null;
  return TOTP.counter({ period: TOTP_PERIOD_SECONDS, timestamp: now }) + delta;
}

export function totpCode(secretBase32: string, now = Date.now()): string {
  return TOTP.generate({ secret: Secret.fromBase32(secretBase32), algorithm: "SHA1", digits: 6, period: TOTP_PERIOD_SECONDS, timestamp: now });
}
