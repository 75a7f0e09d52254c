#!/usr/bin/env node
// `npm run scale:seed -- --persist-to <dir> [--scale <factor, default 1>]`: migrates the local D1 kept in <dir> (the
// layout of `npm run dev -- --persist-to <dir>` and wrangler: <dir>/v3/d1; without the flag, .wrangler/state) and
// fills it with the scale data of issue 15 (scripts/scale-seed-sql.mjs), printing a progress line per step and, last,
// one JSON line of facts for a bench: the ids of the member with the longest history, a course, a round, a lot…
// A database that already holds the scale data is left as it is (its facts are printed again).
import path from "node:path";
import { readFile } from "node:fs/promises";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { migrateLocal } from "./seed.mjs";
import { root } from "./wrangler.mjs";
import { scaleCountsQuery, scaleFacts, scaleCounts, scaleSeedSteps } from "./scale-seed-sql.mjs";

function arg(name) {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
}

const persistTo = path.resolve(arg("--persist-to") ?? path.join(root, ".wrangler", "state"));
const factor = Number(arg("--scale") ?? "1");
if (!(factor > 0 && factor <= 10)) throw new Error(`--scale must be a number in (0, 10], not ${arg("--scale")}`);
const say = (msg) => console.error(`[scale:seed] ${msg}`);

/** The database id wrangler keys the local D1 file by (wrangler.toml's DB binding). */
async function databaseId() {
  const toml = await readFile(path.join(root, "wrangler.toml"), "utf8");
  const block = toml.slice(toml.indexOf("[[d1_databases]]"));
  const id = /database_id\s*=\s*"([^"]+)"/.exec(block)?.[1];
  if (!id) throw new Error("wrangler.toml has no d1 database_id");
  return id;
}

/** Miniflare's D1 binding on the very file wrangler uses for <dir>. */
export async function openPersistedD1(dir) {
  // Miniflare 5 takes its own option shape; the familiar v4 (wrangler-like) options are converted.
  const mf = new Miniflare(convertV4MiniflareOptions({
    modules: true,
    script: "export default { fetch() { return new Response(null, { status: 404 }); } }",
    compatibilityDate: "2026-11-01",
    d1Databases: { DB: await databaseId() },
    // Wrangler's layout: <dir>/v3/<plugin>/… (so <dir>/v3/d1 holds the database, keyed by its id).
    resourcePersistencePath: path.join(dir, "v3"),
  }));
  return { db: await mf.getD1Database("DB"), dispose: () => mf.dispose() };
}

const started = Date.now();
const secs = () => `${((Date.now() - started) / 1000).toFixed(1)}s`;
say(`migrating the local D1 in ${persistTo}`);
await migrateLocal({ persistTo });
const { db, dispose } = await openPersistedD1(persistTo);
try {
  const seeded = await db.prepare("SELECT 1 FROM members WHERE id = 'sm_1'").first();
  if (seeded) {
    say("scale data already present; nothing generated (delete <dir>/v3/d1 to start over)");
  } else {
    const { steps } = scaleSeedSteps(factor);
    say(`factor ${factor}: ${JSON.stringify(scaleCounts(factor))}`);
    for (const s of steps) {
      const t0 = Date.now();
      for (const sql of s.sql) await db.prepare(sql).run();
      say(`${s.label}: ${s.sql.length} statement(s) in ${((Date.now() - t0) / 1000).toFixed(1)}s (total ${secs()})`);
    }
  }
  const counts = await db.prepare(scaleCountsQuery).first();
  say(`done in ${secs()}: ${JSON.stringify(counts)}`);
  console.log(JSON.stringify({ persistTo, factor, ...scaleFacts(scaleCounts(factor)), counts }));
} finally {
  await dispose();
}
