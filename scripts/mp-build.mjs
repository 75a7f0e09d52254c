// Builds the mini-program in place: type-checks it with its own tsconfig (WeChat's globals, no DOM, no
// Node), then compiles every .ts under mini-program/miniprogram to a CommonJS .js beside it, which is what
// WeChat DevTools and miniprogram-simulate load. The project's own modules stay separate files (so the
// session is one shared module, as in the real runtime); packages from node_modules are bundled into the
// file that imports them, so DevTools never needs 构建 npm.
import { spawnSync } from "node:child_process";
import { readdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const miniProgramDir = path.join(root, "mini-program");
export const miniProgramRoot = path.join(miniProgramDir, "miniprogram");

async function sources(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== "miniprogram_npm" && entry.name !== "node_modules") out.push(...(await sources(full)));
    } else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) out.push(full);
  }
  return out;
}

/** Relative imports stay `require("./x")` to the sibling .js; bare package imports are bundled in. */
const keepOwnModulesSeparate = {
  name: "keep-own-modules-separate",
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => (args.kind === "entry-point" ? undefined : { path: args.path, external: true }));
  },
};

/** Writes a built file only when it changed, by rename, so a test loading it never reads half a file. */
async function writeIfChanged(file, text) {
  const current = await readFile(file, "utf8").catch(() => null);
  if (current === text) return false;
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
  return true;
}

/** Compiles without type-checking (fast; tests call this before loading the built pages). */
export async function compileMiniProgram() {
  const entryPoints = await sources(miniProgramRoot);
  const result = await build({
    entryPoints,
    outdir: miniProgramRoot,
    outbase: miniProgramRoot,
    bundle: true,
    format: "cjs",
    platform: "neutral",
    mainFields: ["miniprogram", "module", "main"],
    target: "es2018",
    charset: "utf8",
    plugins: [keepOwnModulesSeparate],
    absWorkingDir: root,
    write: false,
    logLevel: "warning",
  });
  await Promise.all(result.outputFiles.map((f) => writeIfChanged(f.path, f.text)));
  return entryPoints.length;
}

export function typecheckMiniProgram() {
  const tsc = path.join(root, "node_modules/typescript/bin/tsc");
  const result = spawnSync(process.execPath, [tsc, "-p", path.join(miniProgramDir, "tsconfig.json")], { stdio: "inherit" });
  if (result.status !== 0) throw new Error("mini-program type-check failed");
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    typecheckMiniProgram();
    const count = await compileMiniProgram();
    console.log(`mini-program: type-checked and compiled ${count} files`);
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
