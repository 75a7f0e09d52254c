import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { splitLargestRemainder } from "../../worker/ledger/split";

describe("largest-remainder splits", () => {
  it("gives the leftover fen to the largest remainders", () => {
    // Quotas 33.33…, 33.33…, 33.33…: one fen left over, to the first (ties go to the earlier index).
    expect(splitLargestRemainder(100, [1, 1, 1])).toEqual([34, 33, 33]);
    // Quotas 14.28…, 28.57…, 57.14…: the middle one has the largest remainder.
    expect(splitLargestRemainder(100, [1, 2, 4])).toEqual([14, 29, 57]);
    expect(splitLargestRemainder(0, [3, 5])).toEqual([0, 0]);
    expect(splitLargestRemainder(7, [0, 1, 0])).toEqual([0, 7, 0]);
  });

  it("stays exact where total × weight passes 2^53", () => {
    const parts = splitLargestRemainder(Number.MAX_SAFE_INTEGER, [Number.MAX_SAFE_INTEGER - 1, 1]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(Number.MAX_SAFE_INTEGER);
    expect(parts[1]).toBe(1);
  });

  it("always sums to the whole, keeps each part within one fen of its quota, and is deterministic", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000_000 }), fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 30 }), (total, weights) => {
        fc.pre(weights.some((w) => w > 0));
        const parts = splitLargestRemainder(total, weights);
        const sum = weights.reduce((a, w) => a + w, 0);
        expect(parts.reduce((a, p) => a + p, 0)).toBe(total);
        parts.forEach((p, i) => {
          expect(Number.isInteger(p)).toBe(true);
          const quota = (total * weights[i]) / sum;
          expect(p).toBeGreaterThanOrEqual(Math.floor(quota) - 1e-6);
          expect(p).toBeLessThanOrEqual(Math.floor(quota) + 1);
          if (weights[i] === 0) expect(p).toBe(0);
        });
        expect(splitLargestRemainder(total, weights)).toEqual(parts);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses fractions, negative amounts and all-zero weights", () => {
    expect(() => splitLargestRemainder(10.5, [1])).toThrow(RangeError);
    expect(() => splitLargestRemainder(-1, [1])).toThrow(RangeError);
    expect(() => splitLargestRemainder(10, [0, 0])).toThrow(RangeError);
    expect(() => splitLargestRemainder(10, [1.5])).toThrow(RangeError);
    expect(() => splitLargestRemainder(10, [])).toThrow(RangeError);
  });
});
