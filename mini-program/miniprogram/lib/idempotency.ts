/**
 * One key per logical action (a tap on 提交, not one per HTTP attempt): retries of that action reuse it,
 * so the worker can answer them with the first response. UUID-shaped (version 4). A key must be unique,
 * not secret (the worker scopes keys to the caller), so Math.random is enough where no crypto exists.
 */
export function newIdempotencyKey(randomBytes: (n: number) => Uint8Array = fallbackRandomBytes): string {
  const b = randomBytes(16);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = Array.from(b, (x) => (x < 16 ? "0" : "") + x.toString(16)).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function fallbackRandomBytes(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(Math.random() * 256);
  return out;
}
