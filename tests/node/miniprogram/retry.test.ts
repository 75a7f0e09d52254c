import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, backoffMs, shouldRetry } from "../../../mini-program/miniprogram/lib/retry";

const first = { attempt: 1, hasIdempotencyKey: false };

describe("what may be sent again", () => {
  it("retries a GET after a network failure or a 5xx", () => {
    expect(shouldRetry({ ...first, method: "GET", status: 0 })).toBe(true);
    expect(shouldRetry({ ...first, method: "GET", status: 502 })).toBe(true);
    expect(shouldRetry({ ...first, method: "GET", status: 500 })).toBe(true);
  });

  it("does not retry answers that another attempt would not change", () => {
    for (const status of [200, 400, 401, 403, 404, 409, 422, 429]) expect(shouldRetry({ ...first, method: "GET", status })).toBe(false);
  });

  it("retries a POST only when it carries an Idempotency-Key", () => {
    expect(shouldRetry({ ...first, method: "POST", status: 0 })).toBe(false);
    expect(shouldRetry({ ...first, method: "POST", status: 503 })).toBe(false);
    expect(shouldRetry({ ...first, method: "POST", status: 0, hasIdempotencyKey: true })).toBe(true);
    expect(shouldRetry({ ...first, method: "POST", status: 503, hasIdempotencyKey: true })).toBe(true);
    expect(shouldRetry({ ...first, method: "DELETE", status: 503, hasIdempotencyKey: true })).toBe(false);
  });

  it("gives up after a bounded number of attempts", () => {
    expect(shouldRetry({ method: "GET", status: 0, attempt: MAX_ATTEMPTS - 1, hasIdempotencyKey: false })).toBe(true);
    expect(shouldRetry({ method: "GET", status: 0, attempt: MAX_ATTEMPTS, hasIdempotencyKey: false })).toBe(false);
  });

  it("backs off exponentially with jitter, capped", () => {
    expect([1, 2, 3].map((a) => backoffMs(a, () => 1))).toEqual([300, 600, 1200]);
    expect([1, 2, 3].map((a) => backoffMs(a, () => 0))).toEqual([150, 300, 600]);
    expect(backoffMs(20, () => 1)).toBe(3000);
  });
});
