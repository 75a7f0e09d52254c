import path from "node:path";
import { build } from "esbuild";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

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

export const testVars = {
  JWT_SECRET: "test-jwt-secret-0123456789abcdef-0123456789",
  WECHAT_APPID: "wx0000000000sandbox",
  WECHAT_SECRET: "sandbox-app-secret",
  // Real WeChat hosts: the pool routes every outbound fetch of the worker to the sandbox.
  WECHAT_API_BASE: "https://api.weixin.qq.com",
  WECHATPAY_API_BASE: "https://api.mch.weixin.qq.com",
  NOTIFY_BASE_URL: "https://partners.test",
  MEDIA_SIGNING_KEY: "test-media-signing-key-0123456789abcdef-0123",
  // Small enough that a test can exceed it cheaply.
  MEDIA_MAX_BYTES: "65536",
};

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(root, "schema/migrations"));
  const sandboxScript = await bundleSandbox();
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { ...testVars, TEST_MIGRATIONS: migrations },
          outboundService: "wechat-sandbox",
          workers: [
            {
              name: "wechat-sandbox",
              modules: true,
              scriptPath: sandboxScript,
              compatibilityDate: "2026-11-01",
              compatibilityFlags: ["nodejs_compat"],
              bindings: { WECHAT_APPID: testVars.WECHAT_APPID, WECHAT_SECRET: testVars.WECHAT_SECRET },
            },
          ],
        },
      }),
    ],
    test: {
      include: ["tests/**/*.test.ts"],
      reporters: ["default", "./tests/support/totals-reporter.ts"],
      setupFiles: ["./tests/setup/apply-migrations.ts"],
    },
  };
});
