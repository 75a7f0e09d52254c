#!/usr/bin/env node
// The live demo lot for `npm run dev`: relative to the current time, so it is live whenever the dev server starts
// (the deterministic seed, schema/seed.mjs, holds no lot). Each start replaces the previous demo lots with fresh ids:
// a lot's auction object keeps its own state, so a demo lot is never reused with new times.
// Usage: node scripts/seed-lots.mjs [--print]
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { localStateArgs, root, runWrangler } from "./wrangler.mjs";

const LADDER = JSON.stringify([
  { belowFen: 100000, stepFen: 1000 },
  { belowFen: 500000, stepFen: 5000 },
  { belowFen: null, stepFen: 10000 },
]);

const q = (s) => `'${String(s).replace(/'/g, "''")}'`;

/** SQL for a live lot (ends in 2 h, anti-sniping on) and an upcoming one (tomorrow), ids stamped with `now`. */
export function demoLotStatements(now = Date.now()) {
  const stamp = Math.floor(now / 1000).toString(36);
  const lots = [
    { id: `lot-demo-live-${stamp}`, title: "王老师 行书《兰亭序》节临（四尺斗方）", startPriceFen: 50000, reservePriceFen: 80000, depositFen: 10000, startsAt: now - 5 * 60_000, endsAt: now + 2 * 3_600_000 },
    { id: `lot-demo-next-${stamp}`, title: "李老师 写意花鸟《荷塘清趣》", startPriceFen: 120000, reservePriceFen: null, depositFen: 20000, startsAt: now + 24 * 3_600_000, endsAt: now + 26 * 3_600_000 },
  ];
  return [
    "DELETE FROM lot_bids WHERE lot_id LIKE 'lot-demo-%'",
    "DELETE FROM lot_deposits WHERE lot_id LIKE 'lot-demo-%'",
    "DELETE FROM lot_sales WHERE lot_id LIKE 'lot-demo-%'",
    "DELETE FROM lots WHERE id LIKE 'lot-demo-%'",
    ...lots.map(
      (l) =>
        `INSERT INTO lots (id, title, instructor, description, start_price_fen, reserve_price_fen, increment_ladder, deposit_fen, starts_at, ends_at, closes_at,
           anti_snipe_window_sec, anti_snipe_extend_sec, anti_snipe_max_extensions, payment_deadline_hours, commissionable, status, created_by, created_at, updated_at)
         VALUES (${q(l.id)}, ${q(l.title)}, ${q(l.title.split(" ")[0])}, ${q("讲师亲笔作品，附收藏证书。演示拍品：由 npm run dev 按当前时间生成。")}, ${l.startPriceFen},
           ${l.reservePriceFen ?? "NULL"}, ${q(LADDER)}, ${l.depositFen}, ${l.startsAt}, ${l.endsAt}, ${l.endsAt}, 60, 60, 10, 72, 0, 'open', 'mem-demo-admin', ${now}, ${now})`,
    ),
  ];
}

/** @param {{ persistTo?: string }} [options] a local state directory other than `.wrangler/state` */
export async function seedLotsLocal(options = {}, now = Date.now()) {
  const file = path.join(root, ".wrangler", `seed-lots-${process.pid}.sql`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, demoLotStatements(now).map((s) => `${s};\n`).join(""));
  try {
    await runWrangler(["d1", "execute", "DB", "--local", ...localStateArgs(options), `--file=${path.relative(root, file)}`]);
  } finally {
    await rm(file, { force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--print")) process.stdout.write(demoLotStatements().map((s) => `${s};\n`).join(""));
  else await seedLotsLocal();
}
