import path from "node:path";
import { build } from "esbuild";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";
import { localTestVars } from "./scripts/local-worker.mjs";
import { generateWechatPayKeys } from "./scripts/wechatpay-dev-keys.mjs";

const root = import.meta.dirname;

/** Auxiliary workers run as plain JS, so the WeChat sandbox is bundled once before the pool starts. */
async function bundleSandbox() {
  const outfile = path.join(root, ".wrangler/test/wechat-sandbox.js");
  await build({
    entryPoints: [path.join(root, "worker/wechat-sandbox/index.ts")],
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2022",
    outfile,
    logLevel: "warning",
  });
  return outfile;
}

// Real WeChat hosts in the config: the pool routes every outbound fetch of the worker to the sandbox.
// Access logs drown test output; warnings and errors still show (LOG_LEVEL=info to see them).
export const testVars = { ...localTestVars, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" };

/** Fresh WeChat Pay keys per run: merchant pair, the sandbox's "WeChat Pay public key" pair, APIv3 key. */
const payKeys = generateWechatPayKeys();

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "schema/migrations"));
  const sandboxScript = await bundleSandbox();
  return {
    test: {
      reporters: ["default", "./tests/support/totals-reporter.ts"],
      projects: [
        {
          // The worker's own suites: inside workerd, against a real local D1 (isolated per test file).
          plugins: [
            cloudflareTest({
              wrangler: { configPath: "./wrangler.toml" },
              miniflare: {
                // A small media limit, so a test can exceed it cheaply.
                bindings: { ...testVars, ...payKeys.worker, MEDIA_MAX_BYTES: "65536", TEST_MIGRATIONS: migrations },
                outboundService: "wechat-sandbox",
                workers: [
                  {
                    name: "wechat-sandbox",
                    modules: true,
                    scriptPath: sandboxScript,
                    compatibilityDate: "2026-11-01",
                    compatibilityFlags: ["nodejs_compat"],
                    bindings: { WECHAT_APPID: testVars.WECHAT_APPID, WECHAT_SECRET: testVars.WECHAT_SECRET, WECHATPAY_MCHID: testVars.WECHATPAY_MCHID, ...payKeys.sandbox },
                  },
                ],
              },
            }),
          ],
          test: {
            name: "workers",
            include: ["tests/**/*.test.ts"],
            exclude: ["tests/node/**"],
            setupFiles: ["./tests/setup/apply-migrations.ts"],
          },
        },
        {
          // Node-side suites (mini-program under jsdom, admin console in Chromium) against the worker served by Miniflare.
          // TypeScript first: the mini-program's built CommonJS .js sits beside each .ts source.
          resolve: { extensions: [".mts", ".ts", ".tsx", ".mjs", ".js", ".jsx", ".json"] },
          test: {
            name: "node",
            include: ["tests/node/**/*.test.ts"],
            environment: "node",
            testTimeout: 30_000,
            hookTimeout: 60_000,
          },
        },
      ],
    },
  };
});
