import { describe, expect, it } from "vitest";
import { fenToYuan, formatFen, parseYuanToFen } from "../../worker/console/money";

describe("amounts typed in yuan", () => {
  it("become integer fen exactly, from the digits", () => {
    expect(parseYuanToFen("12")).toBe(1200);
    expect(parseYuanToFen("12.3")).toBe(1230);
    expect(parseYuanToFen("12.30")).toBe(1230);
    expect(parseYuanToFen("0.01")).toBe(1);
    expect(parseYuanToFen("0")).toBe(0);
    expect(parseYuanToFen(" 199.00 ")).toBe(19900);
    // 0.29 * 100 is 28.999999999999996 in floating point; the string parse is exact.
    expect(parseYuanToFen("0.29")).toBe(29);
    expect(parseYuanToFen("1.15")).toBe(115);
  });

  it("refuse anything that is not yuan with at most two decimals", () => {
    for (const text of ["12.345", "-1", "abc", "1e3", "", ".5", "5.", "1,000", "012", "0x10", "Infinity", "NaN", "1 000", "１２"]) {
      expect(parseYuanToFen(text), JSON.stringify(text)).toBeNull();
    }
  });

  it("show fen as ¥ with two decimals", () => {
    expect(formatFen(1)).toBe("¥0.01");
    expect(formatFen(1230)).toBe("¥12.30");
    expect(formatFen(123456789)).toBe("¥1,234,567.89");
    expect(fenToYuan(19900)).toBe("199.00");
    for (const fen of [0, 1, 29, 115, 1230, 9_999_999]) expect(parseYuanToFen(fenToYuan(fen))).toBe(fen);
  });
});
