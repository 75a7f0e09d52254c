// Serves the real worker and the WeChat sandbox through Miniflare on a local port, with a migrated D1.
// Used by Node-side tests (mini-program under jsdom, the admin console in Chromium) and by the benchmark.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { Miniflare, convertV4MiniflareOptions } from "miniflare";
import { generateWechatPayKeys } from "./wechatpay-dev-keys.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
/** database_id of the DB binding in wrangler.toml: wrangler names its local D1 file after it. */
const wranglerDatabaseId = async () => /database_id\s*=\s*"([^"]+)"/.exec(await readFile(path.join(root, "wrangler.toml"), "utf8"))?.[1] ?? "DB";
const COMPAT = { compatibilityDate: "2026-11-01", compatibilityFlags: ["nodejs_compat"] };

export const localTestVars = {
  JWT_SECRET: "test-jwt-secret-0123456789abcdef-0123456789",
  JWT_ISSUER: "zhishi-partners",
  JWT_AUDIENCE: "zhishi-miniprogram",
  WECHAT_APPID: "wx0000000000sandbox",
  WECHAT_SECRET: "sandbox-app-secret",
  WECHAT_API_BASE: "https://api.weixin.qq.com",
  WECHATPAY_API_BASE: "https://api.mch.weixin.qq.com",
  WECHATPAY_MCHID: "1900000001",
  NOTIFY_BASE_URL: "https://partners.test",
  MEDIA_SIGNING_KEY: "test-media-signing-key-0123456789abcdef-0123",
  PII_ENCRYPTION_KEY: "test-pii-encryption-key-0123456789abcdef-0123",
};

/** The wrangler.toml "Text" rule for the API reference viewer's browser bundle, for esbuild. */
const textModules = {
  name: "text-modules",
  setup(build) {
    build.onLoad({ filter: /@scalar[\\/]api-reference[\\/]dist[\\/]browser[\\/]standalone\.js$/ }, async (args) => ({
      contents: await readFile(args.path, "utf8"),
      loader: "text",
    }));
  },
};

async function bundle(entry, name) {
  const outfile = path.join(root, ".wrangler/local-worker", `${name}.js`);
  await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["cloudflare:*", "node:*"],
    outfile,
    logLevel: "warning",
    plugins: [textModules],
  });
  return outfile;
}

/**
 * Applies every drizzle-kit migration in order (the same files wrangler applies). With `{ skipRecorded: true }`
 * (a D1 that wrangler migrated, persisted by `--persist-to`), the ones in its `d1_migrations` table are left out.
 */
export async function applyMigrations(db, { skipRecorded = false } = {}) {
  const dir = path.join(root, "schema/migrations");
  let files = (await readdir(dir)).filter((f) => f.endsWith(".sql")).sort();
  if (skipRecorded) {
    const recorded = await db.prepare("SELECT name FROM d1_migrations").all().then((r) => new Set(r.results.map((row) => row.name)), () => new Set());
    files = files.filter((f) => !recorded.has(f));
  }
  for (const file of files) {
    const sql = await readFile(path.join(dir, file), "utf8");
    const statements = sql.split("--> statement-breakpoint").map((s) => s.trim()).filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}

/**
 * Starts the worker on 127.0.0.1 (port 0 = any free port). Every outbound fetch of the worker goes to the
 * sandbox, which answers for WeChat's real hosts.
 * `persistTo` serves the local state a `wrangler … --local --persist-to <dir>` wrote (D1, R2, Durable Objects)
 * instead of a fresh in-memory one; migrations wrangler already applied there are not applied again.
 * @param {{ port?: number, bindings?: Record<string, unknown>, sandboxBindings?: Record<string, unknown>, persistTo?: string }} [options]
 */
export async function startLocalWorker(options = {}) {
  const [workerScript, sandboxScript] = await Promise.all([
    bundle("worker/index.ts", "worker"),
    bundle("worker/wechat-sandbox/index.ts", "wechat-sandbox"),
  ]);
  const payKeys = generateWechatPayKeys();
  const bindings = { ...localTestVars, ...payKeys.worker, ...options.bindings };
  // Miniflare 5 takes its own option shape; the familiar v4 (wrangler-like) options are converted.
  const mf = new Miniflare(convertV4MiniflareOptions({
    host: "127.0.0.1",
    port: options.port ?? 0,
    // wrangler's layout: every local resource under <dir>/v3 (d1/, r2/, do/ …).
    ...(options.persistTo ? { resourcePersistencePath: path.join(path.resolve(options.persistTo), "v3") } : {}),
    workers: [
      {
        name: "zhishi-partners",
        modules: true,
        scriptPath: workerScript,
        ...COMPAT,
        // wrangler keys its local D1 file by the database_id of wrangler.toml; keep the same id to open that file.
        d1Databases: options.persistTo ? { DB: await wranglerDatabaseId() } : ["DB"],
        r2Buckets: ["MEDIA"],
        // One auction object per lot (wrangler.toml's [[durable_objects.bindings]], SQLite-backed as its migration says).
        durableObjects: { LOT_AUCTIONS: { className: "LotAuction", useSQLite: true } },
        bindings,
        outboundService: "wechat-sandbox",
      },
      {
        name: "wechat-sandbox",
        modules: true,
        scriptPath: sandboxScript,
        ...COMPAT,
        bindings: { WECHAT_APPID: bindings.WECHAT_APPID, WECHAT_SECRET: bindings.WECHAT_SECRET, WECHATPAY_MCHID: bindings.WECHATPAY_MCHID, ...payKeys.sandbox, ...options.sandboxBindings },
      },
    ],
  }));
  const url = (await mf.ready).toString().replace(/\/$/, "");
  const db = await mf.getD1Database("DB");
  await applyMigrations(db, { skipRecorded: Boolean(options.persistTo) });
  return {
    url,
    db,
    mf,
    /** Fetch a path of the worker over the real local port. */
    fetch: (p, init) => fetch(url + p, init),
    dispose: () => mf.dispose(),
  };
}
