import { ApiError } from "../../http/problem";
import { readCertificates, type PlatformCertificate } from "./certificate";
import { importPrivateKey, importPublicKey, randomNonce, signSha256WithRsa, signatureMessage, verifySha256WithRsa } from "./crypto";

/**
 * A WeChat Pay APIv3 client for one merchant: signs every request, verifies every response signature
 * with the WeChat Pay public key (public-key mode, `PUB_KEY_ID_…`), and turns failures into problems.
 * https://pay.weixin.qq.com/doc/v3/merchant/4012365336 · https://pay.weixin.qq.com/doc/v3/merchant/4013053249
 */
export type WechatPayConfig = {
  appid: string;
  mchid: string;
  apiBase: string;
  serialNo: string;
  privateKeyPem: string;
  apiV3Key: string;
  publicKeyId: string;
  publicKeyPem: string;
  /** Platform certificates, for merchants still (or also) in certificate mode; matched by serial. */
  platformCertificates: PlatformCertificate[];
  notifyBaseUrl: string;
  /** How long a call may take before it counts as unanswered (its outcome unknown); 10 s unless configured. */
  timeoutMs: number;
};

type PayEnv = Pick<Env,
  | "WECHAT_APPID" | "WECHATPAY_MCHID" | "WECHATPAY_API_BASE" | "WECHATPAY_SERIAL_NO" | "WECHATPAY_PRIVATE_KEY"
  | "WECHATPAY_APIV3_KEY" | "WECHATPAY_PUBLIC_KEY" | "WECHATPAY_PUBLIC_KEY_ID" | "NOTIFY_BASE_URL"> & {
  /** Optional PEM bundle of WeChat Pay platform certificates (certificate mode). */
  WECHATPAY_PLATFORM_CERTS?: string;
  /** Milliseconds before a WeChat Pay call is abandoned as unanswered (default 10,000). */
  WECHATPAY_TIMEOUT_MS?: string;
};

const certificateCache = new Map<string, PlatformCertificate[]>();
function platformCertificates(bundle: string | undefined): PlatformCertificate[] {
  if (!bundle) return [];
  let certs = certificateCache.get(bundle);
  if (!certs) certificateCache.set(bundle, (certs = readCertificates(bundle)));
  return certs;
}

export function wechatPayConfig(env: PayEnv): WechatPayConfig {
  return {
    appid: env.WECHAT_APPID,
    mchid: env.WECHATPAY_MCHID,
    apiBase: env.WECHATPAY_API_BASE || "https://api.mch.weixin.qq.com",
    serialNo: env.WECHATPAY_SERIAL_NO,
    privateKeyPem: env.WECHATPAY_PRIVATE_KEY,
    apiV3Key: env.WECHATPAY_APIV3_KEY,
    publicKeyId: env.WECHATPAY_PUBLIC_KEY_ID,
    publicKeyPem: env.WECHATPAY_PUBLIC_KEY,
    platformCertificates: platformCertificates(env.WECHATPAY_PLATFORM_CERTS),
    notifyBaseUrl: env.NOTIFY_BASE_URL,
    timeoutMs: Number(env.WECHATPAY_TIMEOUT_MS) > 0 ? Number(env.WECHATPAY_TIMEOUT_MS) : 10_000,
  };
}

export class WechatPayError extends ApiError {
  constructor(readonly httpStatus: number, readonly wechatCode: string, message: string) {
    super(502, "upstream-error", `WeChat Pay answered ${httpStatus} ${wechatCode}: ${message}`);
  }
}

/** `Authorization: WECHATPAY2-SHA256-RSA2048 …` over `METHOD\nURL\ntimestamp\nnonce\nbody\n`. */
export async function authorizationHeader(
  config: Pick<WechatPayConfig, "mchid" | "serialNo" | "privateKeyPem">,
  method: string,
  pathWithQuery: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000).toString(),
  nonce = randomNonce(),
): Promise<string> {
  const key = await importPrivateKey(config.privateKeyPem);
  const signature = await signSha256WithRsa(key, signatureMessage(method, pathWithQuery, timestamp, nonce, body));
  return `WECHATPAY2-SHA256-RSA2048 mchid="${config.mchid}",nonce_str="${nonce}",signature="${signature}",timestamp="${timestamp}",serial_no="${config.serialNo}"`;
}

/** Responses and notifications are trusted within five minutes of our clock, as WeChat's SDKs do. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

export type SignedMessage = { timestamp: string | null; nonce: string | null; signature: string | null; serial: string | null; body: string };

/** Why a WeChat Pay signature was refused, or `null` when it is genuine and fresh. */
export async function signatureProblem(config: Pick<WechatPayConfig, "publicKeyId" | "publicKeyPem"> & { platformCertificates?: PlatformCertificate[] }, m: SignedMessage, nowMs = Date.now()): Promise<string | null> {
  const { timestamp, nonce, signature, serial } = m;
  if (!timestamp || !nonce || !signature || !serial) return "missing Wechatpay-* headers";
  // WeChat sends probes whose signature starts with this prefix to check that merchants really verify.
  if (signature.startsWith("WECHATPAY/SIGNTEST/")) return "signature probe";
  if (!/^\d{1,12}$/.test(timestamp)) return "malformed timestamp";
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_CLOCK_SKEW_SECONDS) return "timestamp outside the 5-minute window";
  // The serial names the key: the WeChat Pay public key (PUB_KEY_ID_…) or a platform certificate's serial.
  const pem = serial === config.publicKeyId && config.publicKeyPem
    ? config.publicKeyPem
    : config.platformCertificates?.find((c) => c.serial === serial.toUpperCase())?.spkiPem;
  if (!pem) return `unknown key serial ${serial.slice(0, 64)}`;
  const key = await importPublicKey(pem);
  const ok = await verifySha256WithRsa(key, signatureMessage(timestamp, nonce, m.body), signature);
  return ok ? null : "signature does not verify";
}

export function signedMessageFrom(headers: Headers, body: string): SignedMessage {
  return {
    timestamp: headers.get("wechatpay-timestamp"),
    nonce: headers.get("wechatpay-nonce"),
    signature: headers.get("wechatpay-signature"),
    serial: headers.get("wechatpay-serial"),
    body,
  };
}

/** One signed call; resolves to the verified JSON body (or `null` for 204), rejects with `WechatPayError`. */
export async function wechatPayRequest<T>(config: WechatPayConfig, method: "GET" | "POST", pathWithQuery: string, payload?: unknown, extraHeaders: Record<string, string> = {}): Promise<T | null> {
  const body = payload === undefined ? "" : JSON.stringify(payload);
  const authorization = await authorizationHeader(config, method, pathWithQuery, body);
  let res: Response;
  try {
    res = await fetch(new URL(pathWithQuery, config.apiBase), {
      method,
      headers: { ...extraHeaders, authorization, accept: "application/json", "content-type": "application/json", "user-agent": "zhishi-partners/1.0" },
      body: method === "GET" ? undefined : body,
      signal: AbortSignal.timeout(config.timeoutMs ?? 10_000),
    });
  } catch (e) {
    throw new WechatPayError(0, "NETWORK", String(e));
  }
  const text = await res.text();
  const problem = await signatureProblem(config, signedMessageFrom(res.headers, text));
  if (problem) throw new WechatPayError(res.status, "UNVERIFIED_RESPONSE", `response signature refused (${problem})`);
  if (res.status === 204) return null;
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    throw new WechatPayError(res.status, "BAD_JSON", "response is not JSON");
  }
  if (!res.ok) {
    const err = (json ?? {}) as { code?: string; message?: string };
    throw new WechatPayError(res.status, err.code ?? "UNKNOWN", err.message ?? "");
  }
  return json as T;
}
