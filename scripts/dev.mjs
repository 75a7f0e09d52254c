#!/usr/bin/env node
// `npm run dev`: a local .dev.vars, a migrated and seeded local D1, then the worker (8787) and the WeChat
// sandbox (8788) under `wrangler dev`, their output prefixed, both stopped together on Ctrl-C.
// A port that is taken (another checkout's `npm run dev`, say) is replaced by a free one, and every local URL the
// worker uses (WECHAT_API_BASE, WECHATPAY_API_BASE, NOTIFY_BASE_URL) follows the ports actually chosen.
// `npm run dev -- --smoke` starts everything, checks /health and a demo-admin login, then stops.
// `npm run dev -- --reset` deletes the local D1 first (e.g. after migrations were renumbered).
// `npm run dev -- --persist-to <dir>` keeps the local D1 and R2 in <dir> instead of .wrangler/state.
import { randomBytes } from "node:crypto";
import net from "node:net";
import { createInterface } from "node:readline";
import { existsSync } from "node:fs";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { migrateLocal, seedLocal } from "./seed.mjs";
import { ensureWechatPayDevKeys } from "./wechatpay-dev-keys.mjs";
import { seedMediaLocal } from "./seed-media.mjs";
import { seedLotsLocal } from "./seed-lots.mjs";
import { localStateArgs, root, spawnWrangler } from "./wrangler.mjs";

// 0.0.0.0 (DEV_HOST=0.0.0.0) lets a phone on the same network reach the worker for WeChat's real-device preview.
const HOST = process.env.DEV_HOST ?? "127.0.0.1";
const smoke = process.argv.includes("--smoke");
const persistAt = process.argv.indexOf("--persist-to");
const state = persistAt > 0 ? { persistTo: path.resolve(process.argv[persistAt + 1]) } : {};
const say = (msg) => console.log(`\x1b[1m[dev]\x1b[0m ${msg}`);

/** Whether `port` can be listened on at `host` right now. */
function canListen(port, host) {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

/**
 * A free port at `host`, drawn from below the kernel's ephemeral range (Linux: 32768–60999). A port the kernel
 * hands out as ephemeral can be taken by any outgoing connection between our check and wrangler's bind, which
 * happens on a busy machine; ports below that range are only ever taken by a server that asks for them.
 */
async function anyFreePort(host) {
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = 20000 + Math.floor(Math.random() * 12000);
    if (!chosen.has(port) && (await canListen(port, host))) return port;
  }
  throw new Error("no free port between 20000 and 32000");
}

const chosen = new Set();
/** `preferred` when it is free (and not chosen already), else any free port, said out loud. */
async function pickPort(name, preferred, host) {
  let port = preferred;
  if (!port || chosen.has(port) || !(await canListen(port, host))) {
    do port = await anyFreePort(host);
    while (chosen.has(port));
    if (preferred) say(`${name} port ${preferred} is taken; using ${port}`);
  }
  chosen.add(port);
  return port;
}

/** Keys set in .dev.vars win over what this script derives (e.g. WECHAT_API_BASE pointing at the real WeChat). */
async function devVarsKeys() {
  const text = await readFile(path.join(root, ".dev.vars"), "utf8").catch(() => "");
  return new Set([...text.matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=/gm)].map((m) => m[1]));
}

/** Secrets a fresh .dev.vars gets random values for instead of the example's placeholders. */
const RANDOM_SECRETS = ["JWT_SECRET", "PII_ENCRYPTION_KEY"];

async function ensureDevVars() {
  const file = path.join(root, ".dev.vars");
  const example = await readFile(path.join(root, ".dev.vars.example"), "utf8");
  const randomised = (text) => RANDOM_SECRETS.reduce((t, key) => t.replace(new RegExp(`^${key}=.*$`, "m"), `${key}="${randomBytes(32).toString("hex")}"`), text);
  if (!existsSync(file)) {
    await writeFile(file, randomised(example));
    say(`created .dev.vars from .dev.vars.example with random ${RANDOM_SECRETS.join(", ")}`);
    return;
  }
  // A .dev.vars made before a key was added to the example gets that key (a new secret, for one) appended.
  const have = await devVarsKeys();
  const missing = example.split("\n").filter((line) => { const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(line); return m && !have.has(m[1]); });
  if (missing.length) {
    await writeFile(file, `${(await readFile(file, "utf8")).replace(/\n?$/, "\n")}${randomised(missing.join("\n"))}\n`);
    say(`added ${missing.map((l) => l.split("=")[0]).join(", ")} to .dev.vars from .dev.vars.example`);
  }
}

/**
 * Each server's lines, prefixed. Until both servers answer they are held back (wrangler's banner and bindings table,
 * the readiness polls) and shown only if the start fails; from then on they stream (request logs, errors).
 */
const heldBack = [];
let streaming = false;
function prefixed(child, label, color) {
  for (const stream of [child.stdout, child.stderr]) {
    createInterface({ input: stream }).on("line", (line) => {
      const shown = `\x1b[${color}m[${label}]\x1b[0m ${line}`;
      if (streaming) console.log(shown);
      else heldBack.push(shown);
    });
  }
}
function showHeldBack() {
  streaming = true;
  for (const line of heldBack.splice(0)) console.log(line);
}

async function waitFor(url, child, timeoutMs = 90_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with ${child.exitCode}`);
    try {
      await fetch(url, { signal: AbortSignal.timeout(2000) });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

async function smokeTest(api) {
  const health = await (await fetch(`${api}/health`)).json();
  say(`GET /health → ${JSON.stringify(health)}`);
  const res = await fetch(`${api}/api/auth/wechat`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: "sandbox:demo-admin" }) });
  const body = await res.json();
  say(`POST /api/auth/wechat {"code":"sandbox:demo-admin"} → ${res.status} roles=${JSON.stringify(body.member?.roles)}`);
  const me = await fetch(`${api}/api/me`, { headers: { authorization: `Bearer ${body.token}` } });
  say(`GET /api/me → ${me.status}`);
  if (!health.ok || res.status !== 200 || !body.member?.roles?.includes("admin") || me.status !== 200) throw new Error("smoke test failed");
}

await ensureDevVars();
if (process.argv.includes("--reset")) {
  await rm(path.join(state.persistTo ?? path.join(root, ".wrangler", "state"), "v3", "d1"), { recursive: true, force: true });
  say("deleted the local D1");
}
if (ensureWechatPayDevKeys({ workerVarsPath: path.join(root, ".dev.vars"), sandboxVarsPath: path.join(root, "worker/wechat-sandbox/.dev.vars") })) {
  say("generated WeChat Pay dev keys (merchant, sandbox platform key, APIv3 key) into both .dev.vars files");
}
say("applying migrations to the local D1");
try {
  await migrateLocal(state);
} catch (e) {
  say(`${e.message}\n  If the local database was migrated with older migration files, start over with: npm run dev -- --reset`);
  process.exit(1);
}
say("seeding demo data");
await seedLocal(state);
say("putting demo lesson media into the local R2 bucket");
await seedMediaLocal(state);
say("creating a live demo auction lot (relative to now)");
await seedLotsLocal(state);

const API_PORT = await pickPort("API", Number(process.env.API_PORT ?? 8787), HOST);
const SANDBOX_PORT = await pickPort("WeChat sandbox", Number(process.env.SANDBOX_PORT ?? 8788), HOST);
const API_INSPECTOR_PORT = await pickPort("API inspector", 9229, "127.0.0.1");
const SANDBOX_INSPECTOR_PORT = await pickPort("sandbox inspector", 9230, "127.0.0.1");
// The worker reaches the sandbox, and the sandbox delivers notifications to the worker, on this machine.
const local = {
  WECHAT_API_BASE: `http://127.0.0.1:${SANDBOX_PORT}`,
  WECHATPAY_API_BASE: `http://127.0.0.1:${SANDBOX_PORT}`,
  NOTIFY_BASE_URL: `http://127.0.0.1:${API_PORT}`,
};
const ownVars = await devVarsKeys();
const vars = Object.entries(local).filter(([key]) => !ownVars.has(key)).flatMap(([key, value]) => ["--var", `${key}:${value}`]);

say(`starting the WeChat sandbox at http://${HOST}:${SANDBOX_PORT} and the worker at http://${HOST}:${API_PORT}`);
const children = [
  { label: "wechat", color: 35, args: ["dev", "-c", "worker/wechat-sandbox/wrangler.toml", "--ip", HOST, "--port", String(SANDBOX_PORT), "--inspector-port", String(SANDBOX_INSPECTOR_PORT), ...localStateArgs(state)] },
  { label: "api", color: 36, args: ["dev", "--ip", HOST, "--port", String(API_PORT), "--inspector-port", String(API_INSPECTOR_PORT), ...localStateArgs(state), ...vars] },
].map(({ label, color, args }) => {
  const child = spawnWrangler(args, { capture: true });
  prefixed(child, label, color);
  return child;
});

let stopping = false;
function stopAll(code) {
  if (stopping) return;
  stopping = true;
  // A clean stop (Ctrl-C) ends quietly: what the servers print while shutting down is not shown.
  if (code === 0) streaming = false;
  for (const child of children) if (child.exitCode === null) child.kill("SIGTERM");
  setTimeout(() => process.exit(code), 1500).unref();
  Promise.all(children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once("exit", r))))).then(() => process.exit(code));
}
process.on("SIGINT", () => stopAll(0));
process.on("SIGTERM", () => stopAll(0));
for (const child of children) child.on("exit", (code) => !stopping && (showHeldBack(), say(`a server exited (${code}); stopping`), stopAll(code || 1)));

const shown = HOST === "0.0.0.0" ? "127.0.0.1" : HOST;
const api = `http://${shown}:${API_PORT}`;
try {
  await Promise.all([waitFor(`http://${shown}:${SANDBOX_PORT}/`, children[0]), waitFor(`${api}/health`, children[1])]);
} catch (e) {
  showHeldBack();
  say(String(e));
  stopAll(1);
}
if (!stopping) {
  streaming = true;
  heldBack.length = 0;
  say("ready:");
  say(`  API             ${api}`);
  say(`  API reference   ${api}/docs   (OpenAPI: ${api}/openapi.json)`);
  say(`  admin console   ${api}/admin`);
  say(`  WeChat sandbox  http://${shown}:${SANDBOX_PORT}`);
  // Jobs are chosen by their cron expression (worker/scheduling/types.ts): name the five-minute one, or the daily one.
  say(`  jobs            curl "${api}/cdn-cgi/local/scheduled?cron=*/5+*+*+*+*"   (scheduled jobs do not run by themselves locally)`);
  say(`  inspectors      api 127.0.0.1:${API_INSPECTOR_PORT} · wechat 127.0.0.1:${SANDBOX_INSPECTOR_PORT}`);
  if (API_PORT !== 8787) say(`  the mini-program's API_BASE_URL (mini-program/miniprogram/config.ts) expects :8787; point it at :${API_PORT} to use this one`);
  say(`  log in as a demo member: POST ${api}/api/auth/wechat {"code":"sandbox:demo-admin"}  (demo-partner · demo-promoter · demo-member)`);
  say("Ctrl-C stops both servers.");
  if (smoke) {
    try {
      await smokeTest(api);
      say("smoke test passed");
      stopAll(0);
    } catch (e) {
      say(String(e));
      stopAll(1);
    }
  }
}
