import { describe, expect, it } from "vitest";
import { csvBeijingTime, csvCell, csvResponse, csvYuan, keysetChunks } from "../../worker/console/csv";

describe("the console's CSV writer", () => {
  it("quotes every cell and defuses cells a spreadsheet would run as a formula", () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    for (const lead of ["=", "+", "-", "@", "\t", "\r"]) expect(csvCell(`${lead}1`)).toBe(`"'${lead}1"`);
    expect(csvCell("张三, \"老师\"")).toBe('"张三, ""老师"""');
    expect(csvCell(null)).toBe('""');
    expect(csvCell(12)).toBe('"12"');
  });

  it("writes yuan with two decimals and Beijing wall time", () => {
    expect([csvYuan(12345), csvYuan(5), csvYuan(0), csvYuan(-250), csvYuan(null)]).toEqual(["123.45", "0.05", "0.00", "-2.50", ""]);
    expect(csvBeijingTime(Date.parse("2026-03-01T16:30:00Z"))).toBe("2026-03-02 00:30:00");
    expect(csvBeijingTime(null)).toBe("");
  });

  it("reads a table in bounded keyset chunks and streams them after a BOM and the header", async () => {
    const table = Array.from({ length: 7 }, (_, i) => ({ id: `k${i}`, name: i === 3 ? "-3" : `n${i}` }));
    const reads: { after: string | null; size: number }[] = [];
    const chunks = keysetChunks(async (after, size) => {
      reads.push({ after, size });
      return table.filter((r) => after === null || r.id > after).slice(0, size);
    }, (r) => r.id, 3);
    const res = csvResponse("t.csv", [{ header: "编号", value: (r: { id: string }) => r.id }, { header: "名称", value: (r: { name: string }) => r.name }], chunks);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    expect(text.split("\r\n")).toEqual(['"编号","名称"', ...table.map((r) => `"${r.id}","${r.name === "-3" ? "'-3" : r.name}"`), ""]);
    expect(reads).toEqual([{ after: null, size: 3 }, { after: "k2", size: 3 }, { after: "k5", size: 3 }]);
  });
});
