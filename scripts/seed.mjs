#!/usr/bin/env node
// `npm run seed`: applies the migrations to the local D1, then seeds the demo data (schema/seed.mjs). Idempotent: run
// it as often as you like; a demo openid that already logged in keeps its member id and gets the demo profile back.
// Usage: npm run seed [-- --persist-to <dir>] [-- --print]   (--print writes the SQL to stdout instead of applying it)
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seedStatements } from "../schema/seed.mjs";
import { localStateArgs, root, runWrangler } from "./wrangler.mjs";

/** @param {{ persistTo?: string }} [options] a local state directory other than `.wrangler/state` */
export async function seedLocal(options = {}) {
  const file = path.join(root, ".wrangler", `seed-${process.pid}.sql`);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, seedStatements().map((s) => `${s};\n`).join(""));
  try {
    await runWrangler(["d1", "execute", "DB", "--local", ...localStateArgs(options), `--file=${path.relative(root, file)}`]);
  } finally {
    await rm(file, { force: true });
  }
}

/** @param {{ persistTo?: string }} [options] */
export async function migrateLocal(options = {}) {
  await runWrangler(["d1", "migrations", "apply", "DB", "--local", ...localStateArgs(options)]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const at = process.argv.indexOf("--persist-to");
  const options = at > 0 ? { persistTo: path.resolve(process.argv[at + 1]) } : {};
  if (process.argv.includes("--print")) process.stdout.write(seedStatements().map((s) => `${s};\n`).join(""));
  else {
    console.log("[seed] applying migrations to the local D1");
    await migrateLocal(options);
    console.log("[seed] seeding demo data");
    await seedLocal(options);
    console.log("[seed] done");
  }
}
