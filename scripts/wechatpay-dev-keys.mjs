// WeChat Pay keys for local development and tests: a merchant API key pair, the sandbox's "WeChat Pay public key"
// pair and an APIv3 key. Generated with node:crypto; nothing here is ever a real merchant's secret.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { generateKeyPairSync, randomBytes } from "node:crypto";

function rsaPair() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

/** Fresh keys, returned as the worker's bindings and the sandbox's bindings. */
export function generateWechatPayKeys() {
  const merchant = rsaPair();
  const platform = rsaPair();
  const apiV3Key = randomBytes(16).toString("hex"); // 32 characters, used as raw AES-256 key bytes
  const serialNo = randomBytes(20).toString("hex").toUpperCase();
  const publicKeyId = `PUB_KEY_ID_${randomBytes(16).toString("hex").toUpperCase()}`;
  return {
    worker: {
      WECHATPAY_PRIVATE_KEY: merchant.privateKey,
      WECHATPAY_SERIAL_NO: serialNo,
      WECHATPAY_APIV3_KEY: apiV3Key,
      WECHATPAY_PUBLIC_KEY: platform.publicKey,
      WECHATPAY_PUBLIC_KEY_ID: publicKeyId,
    },
    sandbox: {
      SANDBOX_PAY_PRIVATE_KEY: platform.privateKey,
      SANDBOX_PAY_PUBLIC_KEY_ID: publicKeyId,
      MERCHANT_PUBLIC_KEY: merchant.publicKey,
      MERCHANT_SERIAL_NO: serialNo,
      WECHATPAY_APIV3_KEY: apiV3Key,
    },
  };
}

function readVars(file) {
  const vars = {};
  if (!existsSync(file)) return vars;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m) vars[m[1]] = m[2].replace(/^"(.*)"$/, "$1");
  }
  return vars;
}

/** dotenv line with the PEM's newlines written as `\n` inside double quotes (wrangler expands them). */
const line = (k, v) => `${k}="${String(v).trim().replace(/\n/g, "\\n")}"`;

function upsertVars(file, values) {
  const kept = existsSync(file) ? readFileSync(file, "utf8").split("\n").filter((l) => !Object.keys(values).some((k) => l.startsWith(`${k}=`))) : [];
  while (kept.length && kept[kept.length - 1] === "") kept.pop();
  writeFileSync(file, [...kept, ...Object.entries(values).map(([k, v]) => line(k, v)), ""].join("\n"));
}

/**
 * Writes WeChat Pay keys into the worker's .dev.vars and the sandbox's .dev.vars unless the worker already has a
 * merchant key. Returns true when it generated new keys.
 */
export function ensureWechatPayDevKeys({ workerVarsPath = ".dev.vars", sandboxVarsPath = "worker/wechat-sandbox/.dev.vars" } = {}) {
  const current = readVars(workerVarsPath);
  const sandboxCurrent = readVars(sandboxVarsPath);
  if (current.WECHATPAY_PRIVATE_KEY && current.WECHATPAY_APIV3_KEY && sandboxCurrent.SANDBOX_PAY_PRIVATE_KEY) return false;
  const keys = generateWechatPayKeys();
  upsertVars(workerVarsPath, keys.worker);
  upsertVars(sandboxVarsPath, keys.sandbox);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(ensureWechatPayDevKeys() ? "WeChat Pay dev keys written to .dev.vars files" : "WeChat Pay dev keys already present");
}
