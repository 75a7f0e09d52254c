const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** An order id, also WeChat's out_trade_no (6–32 of [A-Za-z0-9_-|*]): `O` + UTC date + 16 random characters. */
export function newOrderId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, "");
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => ALPHABET[b % ALPHABET.length]).join("");
  return `O${day}${random}`;
}

/** The n-th refund of an order: deterministic, so a retried request is the same out_refund_no at WeChat. */
export const refundIdFor = (orderId: string, n: number) => `${orderId}R${n}`;

export function encodeCursor(createdAtMs: number, id: string): string {
  return btoa(`${createdAtMs}.${id}`).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function decodeCursor(cursor: string): { createdAtMs: number; id: string } | null {
  try {
    const m = /^(\d{1,15})\.([A-Za-z0-9]{1,40})$/.exec(atob(cursor.replace(/-/g, "+").replace(/_/g, "/")));
    return m ? { createdAtMs: Number(m[1]), id: m[2] } : null;
  } catch {
    return null;
  }
}
