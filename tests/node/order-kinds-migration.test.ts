import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { afterAll, describe, expect, it } from "vitest";

const dir = path.join(import.meta.dirname, "../../schema/migrations");
const mf = new Miniflare(convertV4MiniflareOptions({ workers: [{ name: "db", modules: true, script: "export default { fetch() { return new Response(null) } }", compatibilityDate: "2026-11-01", d1Databases: ["DB"] }] }));
afterAll(() => mf.dispose());

async function apply(db: D1Database, file: string) {
  const sql = await readFile(path.join(dir, file), "utf8");
  for (const statement of sql.split("--> statement-breakpoint").map((s) => s.replace(/^\s*--.*$/gm, "").trim()).filter(Boolean)) await db.prepare(statement).run();
}

describe("the order-kinds migration", () => {
  it("turns every existing order into a course order with its one-open-order key, and keeps the rule for pending ones", async () => {
    const db = (await mf.getD1Database("DB")) as unknown as D1Database;
    const files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
    const firstKinds = files.findIndex((f) => /order_kinds/.test(f));
    for (const f of files.slice(0, firstKinds)) await apply(db, f);
    const insert = "INSERT INTO orders (id, member_id, course_id, description, amount_fen, status, expires_at, created_at, updated_at) VALUES (?, ?, ?, '课', 100, ?, 0, 0, 0)";
    await db.batch([db.prepare(insert).bind("O1", "m1", "c1", "pending"), db.prepare(insert).bind("O2", "m1", "c1", "paid"), db.prepare(insert).bind("O3", "m2", "c1", "pending")]);
    for (const f of files.slice(firstKinds)) await apply(db, f);

    const rows = (await db.prepare("SELECT id, kind, subject_id, open_key FROM orders ORDER BY id").all()).results;
    expect(rows).toEqual([
      { id: "O1", kind: "course", subject_id: "c1", open_key: "course:m1:c1" },
      { id: "O2", kind: "course", subject_id: "c1", open_key: "course:m1:c1" },
      { id: "O3", kind: "course", subject_id: "c1", open_key: "course:m2:c1" },
    ]);
    await expect(db.prepare("INSERT INTO orders (id, kind, member_id, subject_id, open_key, description, amount_fen, status, expires_at, created_at, updated_at) VALUES ('O4', 'course', 'm1', 'c1', 'course:m1:c1', '课', 100, 'pending', 0, 0, 0)").run())
      .rejects.toThrow(/UNIQUE/);
  });
});
