import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatFen, priceLabel } from "../../../mini-program/miniprogram/lib/money";

describe("amounts shown from integer fen", () => {
  it("shows yuan with two decimals", () => {
    expect(formatFen(0)).toBe("¥0.00");
    expect(formatFen(1)).toBe("¥0.01");
    expect(formatFen(10)).toBe("¥0.10");
    expect(formatFen(9900)).toBe("¥99.00");
    expect(formatFen(19990)).toBe("¥199.90");
    expect(formatFen(123456789)).toBe("¥1,234,567.89");
    expect(formatFen(-250)).toBe("-¥2.50");
  });

  it("says 免费 for a free course and the amount otherwise", () => {
    expect(priceLabel(0)).toBe("免费");
    expect(priceLabel(1)).toBe("¥0.01");
  });

  it("refuses anything that is not integer fen", () => {
    expect(() => formatFen(9.9)).toThrow(TypeError);
    expect(() => formatFen(Number.NaN)).toThrow(TypeError);
  });

  it("reads back exactly the fen it was given", () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e12, max: 1e12 }), (fen) => {
        const text = formatFen(fen);
        const back = Math.round(Number(text.replace(/[¥,]/g, "")) * 100);
        expect(back).toBe(fen);
        expect(text).toMatch(/^-?¥\d{1,3}(,\d{3})*\.\d{2}$/);
      }),
    );
  });
});
