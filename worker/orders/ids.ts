import { z } from "zod";
import { cursorKey, decodeCursor, encodeCursor } from "../http/cursor";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** An order id, also WeChat's out_trade_no (6–32 of [A-Za-z0-9_-|*]): `O` + UTC date + 16 random characters. */
export function newOrderId(now: Date): string {
  const day = now.toISOString().slice(0, 10).replace(/-/g, "");
  const random = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => ALPHABET[b % ALPHABET.length]).join("");
  return `O${day}${random}`;
}

/** The n-th refund of an order: deterministic, so a retried request is the same out_refund_no at WeChat. */
export const refundIdFor = (orderId: string, n: number) => `${orderId}R${n}`;

const OrderCursor = z.tuple([cursorKey.timestampMs, z.string().regex(/^[A-Za-z0-9]{1,40}$/)]);

/** Orders are listed newest first by (createdAt, id). */
export const encodeOrderCursor = (createdAtMs: number, id: string) => encodeCursor([createdAtMs, id]);

export function decodeOrderCursor(cursor: string): { createdAtMs: number; id: string } | null {
  const key = decodeCursor(cursor, OrderCursor);
  return key ? { createdAtMs: key[0], id: key[1] } : null;
}
