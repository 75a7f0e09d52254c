// Runs the project's own wrangler with the Node that runs this script (npm scripts put the pinned Node 22 first).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const wranglerBin = path.join(path.dirname(createRequire(import.meta.url).resolve("wrangler/package.json")), "bin", "wrangler.js");

/** Spawns `wrangler <args>`; stdin is closed so wrangler never waits for a prompt. */
export function spawnWrangler(args, options = {}) {
  return spawn(process.execPath, [wranglerBin, ...args], {
    cwd: root,
    stdio: ["ignore", options.capture ? "pipe" : "inherit", options.capture ? "pipe" : "inherit"],
    // No metrics and no fetch of the `Request.cf` sample from the network: local development works offline.
    env: { WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", ...process.env, ...options.env },
  });
}

/** Runs wrangler to completion; rejects on a non-zero exit. */
export function runWrangler(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, options);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} exited with ${code}`))));
  });
}
