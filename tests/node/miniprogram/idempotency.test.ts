import { describe, expect, it } from "vitest";
import { newIdempotencyKey } from "../../../mini-program/miniprogram/lib/idempotency";

describe("idempotency keys", () => {
  it("are UUID-shaped and differ per logical action", () => {
    const keys = new Set(Array.from({ length: 1000 }, () => newIdempotencyKey()));
    expect(keys.size).toBe(1000);
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
