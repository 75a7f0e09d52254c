// Runs the project's own wrangler with the project's own Node (the `node` devDependency, Node 22), whatever Node runs
// this script: `node scripts/seed.mjs` started by an older system Node still starts wrangler on Node 22.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(import.meta.url);
const wranglerBin = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

/** The pinned Node binary (node_modules/node/bin/node), else the Node running this script. */
export const projectNode = (() => {
  try {
    const bin = path.join(path.dirname(require.resolve("node/package.json")), "bin", "node");
    if (existsSync(bin)) return bin;
  } catch {}
  return process.execPath;
})();

/** `--persist-to <dir>` for a local state directory other than `.wrangler/state` (a second dev server, a test). */
export function localStateArgs(options = {}) {
  return options.persistTo ? ["--persist-to", options.persistTo] : [];
}

/** Spawns `wrangler <args>`; stdin is closed so wrangler never waits for a prompt. */
export function spawnWrangler(args, options = {}) {
  return spawn(projectNode, [wranglerBin, ...args], {
    cwd: root,
    stdio: ["ignore", options.capture ? "pipe" : "inherit", options.capture ? "pipe" : "inherit"],
    // No metrics and no fetch of the `Request.cf` sample from the network: local development works offline.
    env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env, ...options.env },
  });
}

/**
 * Runs wrangler to completion, its output kept back: a run that succeeds prints nothing (`d1 execute` alone prints
 * hundreds of lines), one that fails rejects with the output in the error's message. `{ verbose: true }` streams it.
 */
export function runWrangler(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, { ...options, capture: !options.verbose });
    const output = [];
    child.stdout?.on("data", (d) => output.push(d));
    child.stderr?.on("data", (d) => output.push(d));
    child.on("error", reject);
    child.on("exit", (code) => {
      if (code === 0) return resolve();
      const text = Buffer.concat(output).toString("utf8").trim();
      reject(new Error(`wrangler ${args.join(" ")} exited with ${code}${text ? `:\n${text}` : ""}`));
    });
  });
}
