/**
 * What may be sent again. A GET changes nothing, so it is retried when the network failed or the server
 * answered 5xx. A POST is retried only when it carries an Idempotency-Key: the worker then answers a
 * replay with the first response instead of doing the work twice (docs/http.md, Stripe's semantics).
 */
export const MAX_ATTEMPTS = 3;
export const BASE_DELAY_MS = 300;
export const MAX_DELAY_MS = 3_000;

export type Attempt = {
  method: string;
  hasIdempotencyKey: boolean;
  /** HTTP status, or 0 when the request failed without an answer. */
  status: number;
  /** 1 for the first attempt. */
  attempt: number;
};

export function isRetryableStatus(status: number): boolean {
  return status === 0 || status >= 500;
}

export function isSafeToRepeat(method: string, hasIdempotencyKey: boolean): boolean {
  const m = method.toUpperCase();
  if (m === "GET" || m === "HEAD") return true;
  return m === "POST" && hasIdempotencyKey;
}

export function shouldRetry(a: Attempt): boolean {
  return a.attempt < MAX_ATTEMPTS && isRetryableStatus(a.status) && isSafeToRepeat(a.method, a.hasIdempotencyKey);
}

/** Exponential backoff with jitter: ~300 ms, ~600 ms, … capped at 3 s. `random` is injectable for tests. */
export function backoffMs(attempt: number, random: () => number = Math.random): number {
  const exp = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(exp / 2 + (random() * exp) / 2);
}
