#!/usr/bin/env node
// Seeds the local D1 with the demo data (schema/seed.mjs). Idempotent: run it as often as you like.
// Usage: node scripts/seed.mjs [--print]   (--print writes the SQL to stdout instead of applying it)
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { seedStatements } from "../schema/seed.mjs";
import { root, runWrangler } from "./wrangler.mjs";

export async function seedLocal() {
  const file = path.join(root, ".wrangler", "seed.sql");
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, seedStatements().map((s) => `${s};\n`).join(""));
  await runWrangler(["d1", "execute", "DB", "--local", `--file=${path.relative(root, file)}`]);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes("--print")) process.stdout.write(seedStatements().map((s) => `${s};\n`).join(""));
  else await seedLocal();
}
