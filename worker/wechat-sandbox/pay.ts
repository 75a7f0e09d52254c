import { Hono, type Context } from "hono";
import { beijingRfc3339 } from "../calendar/beijing";
import {
  encryptAeadAes256Gcm, importPrivateKey, importPublicKey, randomNonce, signSha256WithRsa, signatureMessage, verifySha256WithRsa,
} from "../wechat/pay/crypto";

/**
 * WeChat Pay v3 in the sandbox: JSAPI prepay, query, close and refunds with the real protocol. It verifies the
 * merchant's request signature with the merchant public key, signs every answer and notification with its own
 * key (the "WeChat Pay public key", id PUB_KEY_ID_…), and encrypts notification resources with the APIv3 key.
 * `/sandbox/*` are its control endpoints: "the member paid", "WeChat finished the refund".
 * State is in memory per isolate; restarting the sandbox forgets its orders, as a fresh test file expects.
 */
export type PaySandboxBindings = {
  WECHAT_APPID: string;
  WECHATPAY_MCHID: string;
  WECHATPAY_APIV3_KEY: string;
  /** The sandbox's own PKCS#8 key; its public half is the merchant's WECHATPAY_PUBLIC_KEY. */
  SANDBOX_PAY_PRIVATE_KEY: string;
  SANDBOX_PAY_PUBLIC_KEY_ID: string;
  /** SPKI PEM of the merchant's API key, and the serial the merchant signs with. */
  MERCHANT_PUBLIC_KEY: string;
  MERCHANT_SERIAL_NO: string;
};
type Env = { Bindings: PaySandboxBindings };
export type C = Context<Env>;

type Tx = {
  appid: string; mchid: string; out_trade_no: string; description: string; notify_url: string; total: number; openid: string;
  time_expire: number | null; prepay_id: string; trade_state: "NOTPAY" | "SUCCESS" | "CLOSED" | "REFUND";
  transaction_id?: string; success_time?: string;
};
type RefundRecord = {
  refund_id: string; out_refund_no: string; out_trade_no: string; transaction_id: string; notify_url: string; reason: string;
  refund: number; total: number; status: "PROCESSING" | "SUCCESS" | "CLOSED" | "ABNORMAL"; create_time: string; success_time?: string;
};

const transactions = new Map<string, Tx>();
const refunds = new Map<string, RefundRecord>();

export const cst = (ms = Date.now()) => beijingRfc3339(ms);
export const digits = (n: number) => Array.from(crypto.getRandomValues(new Uint8Array(n)), (b) => b % 10).join("");

/** Every answer is signed like WeChat's: Wechatpay-Timestamp/Nonce/Signature/Serial over `ts\nnonce\nbody\n`. */
async function signedHeaders(env: PaySandboxBindings, body: string, timestamp = Math.floor(Date.now() / 1000).toString()) {
  const nonce = randomNonce();
  const key = await importPrivateKey(env.SANDBOX_PAY_PRIVATE_KEY);
  return {
    "Wechatpay-Timestamp": timestamp,
    "Wechatpay-Nonce": nonce,
    "Wechatpay-Signature": await signSha256WithRsa(key, signatureMessage(timestamp, nonce, body)),
    "Wechatpay-Serial": env.SANDBOX_PAY_PUBLIC_KEY_ID,
  };
}

export async function answer(c: C, status: number, payload: unknown | null) {
  const body = payload === null ? "" : JSON.stringify(payload);
  const headers: Record<string, string> = { ...(await signedHeaders(c.env, body)), "Request-ID": crypto.randomUUID() };
  if (body) headers["content-type"] = "application/json";
  return new Response(status === 204 ? null : body, { status, headers });
}
export const fail = (c: C, status: number, code: string, message: string) => answer(c, status, { code, message });

/** Checks `WECHATPAY2-SHA256-RSA2048 mchid=…,nonce_str=…,signature=…,timestamp=…,serial_no=…` and returns the body. */
export async function verifiedBody(c: C): Promise<{ ok: true; body: string } | { ok: false; res: Response }> {
  const body = c.req.method === "GET" ? "" : await c.req.text();
  const header = c.req.header("authorization") ?? "";
  const scheme = "WECHATPAY2-SHA256-RSA2048 ";
  const fields = Object.fromEntries([...header.slice(scheme.length).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const url = new URL(c.req.url);
  const refuse = async (why: string) => ({ ok: false as const, res: await fail(c, 401, "SIGN_ERROR", why) });
  if (!header.startsWith(scheme) || !fields.signature || !fields.timestamp || !fields.nonce_str) return refuse("签名错误: malformed Authorization");
  if (fields.mchid !== c.env.WECHATPAY_MCHID) return refuse("签名错误: unknown mchid");
  if (fields.serial_no !== c.env.MERCHANT_SERIAL_NO) return refuse("签名错误: unknown serial_no");
  if (Math.abs(Date.now() / 1000 - Number(fields.timestamp)) > 300) return refuse("签名错误: timestamp expired");
  const message = signatureMessage(c.req.method, url.pathname + url.search, fields.timestamp, fields.nonce_str, body);
  const ok = await verifySha256WithRsa(await importPublicKey(c.env.MERCHANT_PUBLIC_KEY), message, fields.signature);
  return ok ? { ok: true, body } : refuse("签名错误: signature does not verify");
}

function txView(t: Tx) {
  return {
    appid: t.appid, mchid: t.mchid, out_trade_no: t.out_trade_no, transaction_id: t.transaction_id, trade_type: "JSAPI",
    trade_state: t.trade_state, trade_state_desc: { NOTPAY: "未支付", SUCCESS: "支付成功", CLOSED: "已关闭", REFUND: "转入退款" }[t.trade_state],
    bank_type: t.transaction_id ? "OTHERS" : undefined, attach: "", success_time: t.success_time,
    payer: { openid: t.openid }, amount: { total: t.total, payer_total: t.transaction_id ? t.total : undefined, currency: "CNY", payer_currency: "CNY" },
  };
}

function refundView(r: RefundRecord) {
  return {
    refund_id: r.refund_id, out_refund_no: r.out_refund_no, transaction_id: r.transaction_id, out_trade_no: r.out_trade_no,
    channel: "ORIGINAL", user_received_account: "支付用户零钱", status: r.status, create_time: r.create_time, success_time: r.success_time,
    amount: { total: r.total, refund: r.refund, payer_total: r.total, payer_refund: r.refund, settlement_refund: r.refund, settlement_total: r.total, discount_refund: 0, currency: "CNY" },
  };
}

export type SandboxNotification = { url: string; headers: Record<string, string>; body: string; delivered?: number | string };

/** Builds the real notification: the resource is AES-256-GCM encrypted, the envelope signed. */
export async function buildNotification(env: PaySandboxBindings, url: string, eventType: string, originalType: string, resource: unknown, timestamp?: string): Promise<SandboxNotification> {
  const nonce = randomNonce(12);
  const associatedData = originalType;
  const summary = { "TRANSACTION.SUCCESS": "支付成功", "REFUND.SUCCESS": "退款成功", "REFUND.ABNORMAL": "退款异常", "REFUND.CLOSED": "退款关闭", "MCHTRANSFER.BILL.FINISHED": "商家转账单据终态通知" }[eventType] ?? eventType;
  const body = JSON.stringify({
    id: crypto.randomUUID(), create_time: cst(), event_type: eventType, resource_type: "encrypt-resource", summary,
    resource: { original_type: originalType, algorithm: "AEAD_AES_256_GCM", ciphertext: await encryptAeadAes256Gcm(env.WECHATPAY_APIV3_KEY, associatedData, nonce, JSON.stringify(resource)), associated_data: associatedData, nonce },
  });
  return { url, headers: { "content-type": "application/json", ...(await signedHeaders(env, body, timestamp)) }, body };
}

/** POSTs the notification to the merchant when the notify URL is reachable (dev); tests deliver it themselves. */
export async function deliver(n: SandboxNotification, wanted: boolean): Promise<SandboxNotification> {
  if (!wanted) return n;
  try {
    const res = await fetch(n.url, { method: "POST", headers: n.headers, body: n.body, signal: AbortSignal.timeout(3000) });
    return { ...n, delivered: res.status };
  } catch (e) {
    return { ...n, delivered: `unreachable: ${String(e).slice(0, 120)}` };
  }
}

const payRoutes = new Hono<Env>();

payRoutes.post("/v3/pay/transactions/jsapi", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  let r: { appid?: string; mchid?: string; description?: string; out_trade_no?: string; notify_url?: string; time_expire?: string; amount?: { total?: number }; payer?: { openid?: string } };
  try { r = JSON.parse(v.body); } catch { return fail(c, 400, "PARAM_ERROR", "body is not JSON"); }
  if (r.appid !== c.env.WECHAT_APPID || r.mchid !== c.env.WECHATPAY_MCHID) return fail(c, 400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
  const total = r.amount?.total;
  if (!r.out_trade_no || !/^[A-Za-z0-9_*|-]{6,32}$/.test(r.out_trade_no) || !r.description || !r.notify_url || !r.payer?.openid || !Number.isInteger(total) || (total as number) <= 0) {
    return fail(c, 400, "PARAM_ERROR", "参数错误");
  }
  const existing = transactions.get(r.out_trade_no);
  if (existing) {
    if (existing.trade_state === "SUCCESS" || existing.trade_state === "REFUND") return fail(c, 400, "ORDERPAID", "该订单已支付");
    if (existing.trade_state === "CLOSED") return fail(c, 400, "ORDER_CLOSED", "订单已关闭");
    if (existing.total !== total || existing.openid !== r.payer.openid) return fail(c, 400, "INVALID_REQUEST", "201 商户订单号重复");
    // Asking again for the same out_trade_no issues a new prepay_id (each lives 2 h); the latest is kept.
    existing.prepay_id = `wx${digits(10)}${randomNonce(24).toLowerCase()}`;
    return answer(c, 200, { prepay_id: existing.prepay_id });
  }
  const tx: Tx = {
    appid: r.appid, mchid: r.mchid, out_trade_no: r.out_trade_no, description: r.description, notify_url: r.notify_url, total: total as number,
    openid: r.payer.openid, time_expire: r.time_expire ? Date.parse(r.time_expire) : null, prepay_id: `wx${digits(10)}${randomNonce(24).toLowerCase()}`, trade_state: "NOTPAY",
  };
  transactions.set(tx.out_trade_no, tx);
  return answer(c, 200, { prepay_id: tx.prepay_id });
});

payRoutes.get("/v3/pay/transactions/out-trade-no/:no", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  const tx = transactions.get(c.req.param("no"));
  if (!tx || c.req.query("mchid") !== tx.mchid) return fail(c, 404, "ORDER_NOT_EXIST", "订单不存在");
  return answer(c, 200, txView(tx));
});

payRoutes.post("/v3/pay/transactions/out-trade-no/:no/close", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  const tx = transactions.get(c.req.param("no"));
  if (!tx) return fail(c, 404, "ORDER_NOT_EXIST", "订单不存在");
  if (tx.trade_state === "SUCCESS" || tx.trade_state === "REFUND") return fail(c, 400, "ORDERPAID", "该订单已支付");
  tx.trade_state = "CLOSED";
  return answer(c, 204, null);
});

payRoutes.post("/v3/refund/domestic/refunds", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  let r: { out_trade_no?: string; out_refund_no?: string; reason?: string; notify_url?: string; amount?: { refund?: number; total?: number } };
  try { r = JSON.parse(v.body); } catch { return fail(c, 400, "PARAM_ERROR", "body is not JSON"); }
  const tx = r.out_trade_no ? transactions.get(r.out_trade_no) : undefined;
  if (!tx || !tx.transaction_id) return fail(c, 404, "RESOURCE_NOT_EXISTS", "订单不存在");
  const refund = r.amount?.refund;
  if (!r.out_refund_no || !Number.isInteger(refund) || (refund as number) <= 0 || r.amount?.total !== tx.total) return fail(c, 400, "PARAM_ERROR", "参数错误");
  const existing = refunds.get(r.out_refund_no);
  if (existing) {
    // The same out_refund_no is the same refund: WeChat answers it again instead of refunding twice.
    if (existing.refund !== refund || existing.out_trade_no !== tx.out_trade_no) return fail(c, 400, "INVALID_REQUEST", "退款单号重复");
    return answer(c, 200, refundView(existing));
  }
  const refunded = [...refunds.values()].filter((x) => x.out_trade_no === tx.out_trade_no && x.status !== "CLOSED").reduce((s, x) => s + x.refund, 0);
  if (refunded + (refund as number) > tx.total) return fail(c, 403, "NOT_ENOUGH", "订单可退金额不足");
  const rec: RefundRecord = {
    refund_id: `50${digits(27)}`, out_refund_no: r.out_refund_no, out_trade_no: tx.out_trade_no, transaction_id: tx.transaction_id,
    notify_url: r.notify_url ?? tx.notify_url, reason: r.reason ?? "", refund: refund as number, total: tx.total, status: "PROCESSING", create_time: cst(),
  };
  refunds.set(rec.out_refund_no, rec);
  tx.trade_state = "REFUND";
  return answer(c, 200, refundView(rec));
});

payRoutes.get("/v3/refund/domestic/refunds/:no", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  const rec = refunds.get(c.req.param("no"));
  if (!rec) return fail(c, 404, "RESOURCE_NOT_EXISTS", "退款单不存在");
  return answer(c, 200, refundView(rec));
});

// An ABNORMAL refund's money has left the merchant account; the merchant says where it goes and it is processed again.
payRoutes.post("/v3/refund/domestic/refunds/:refund_id/apply-abnormal-refund", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  let r: { out_refund_no?: string; type?: string; bank_type?: string; bank_account?: string; real_name?: string };
  try { r = JSON.parse(v.body); } catch { return fail(c, 400, "PARAM_ERROR", "body is not JSON"); }
  const rec = [...refunds.values()].find((x) => x.refund_id === c.req.param("refund_id"));
  if (!rec || rec.out_refund_no !== r.out_refund_no) return fail(c, 404, "RESOURCE_NOT_EXISTS", "退款单不存在");
  if (r.type !== "MERCHANT_BANK_CARD" && !(r.type === "USER_BANK_CARD" && r.bank_type && r.bank_account && r.real_name)) return fail(c, 400, "PARAM_ERROR", "参数错误");
  if (rec.status !== "ABNORMAL") return fail(c, 400, "INVALID_REQUEST", "退款单状态不是异常");
  rec.status = "PROCESSING";
  return answer(c, 200, refundView(rec));
});

// ── control endpoints (not part of WeChat's API) ────────────────────────────────────────────────────────────

export async function controlBody(c: C): Promise<Record<string, unknown>> {
  try { return (await c.req.json()) as Record<string, unknown>; } catch { return {}; }
}

/** "The member paid": the transaction succeeds and its TRANSACTION.SUCCESS notification is returned (and sent). */
payRoutes.post("/sandbox/pay", async (c) => {
  const b = await controlBody(c);
  const tx = transactions.get(String(b.out_trade_no ?? ""));
  if (!tx) return c.json({ error: "no such out_trade_no" }, 404);
  if (tx.trade_state === "NOTPAY") {
    if (tx.time_expire !== null && Date.now() > tx.time_expire) return c.json({ error: "the order expired (time_expire)" }, 409);
    tx.trade_state = "SUCCESS";
    tx.transaction_id = `4200${digits(24)}`;
    tx.success_time = cst();
  } else if (tx.trade_state === "CLOSED") {
    return c.json({ error: "the order is closed" }, 409);
  }
  const n = await buildNotification(c.env, tx.notify_url, "TRANSACTION.SUCCESS", "transaction", txView(tx));
  return c.json(await deliver(n, b.deliver !== false));
});

/** "WeChat finished the refund": SUCCESS (default), ABNORMAL or CLOSED, with its REFUND.* notification. */
payRoutes.post("/sandbox/refund/:out_refund_no", async (c) => {
  const b = await controlBody(c);
  const rec = refunds.get(c.req.param("out_refund_no"));
  if (!rec) return c.json({ error: "no such out_refund_no" }, 404);
  const status = b.status === "ABNORMAL" || b.status === "CLOSED" ? b.status : "SUCCESS";
  if (rec.status === "PROCESSING") {
    rec.status = status;
    if (status === "SUCCESS") rec.success_time = cst();
  }
  const tx = transactions.get(rec.out_trade_no)!;
  const resource = {
    mchid: tx.mchid, out_trade_no: rec.out_trade_no, transaction_id: rec.transaction_id, out_refund_no: rec.out_refund_no, refund_id: rec.refund_id,
    refund_status: rec.status, success_time: rec.success_time, user_received_account: "支付用户零钱",
    amount: { total: rec.total, refund: rec.refund, payer_total: rec.total, payer_refund: rec.refund },
  };
  const n = await buildNotification(c.env, rec.notify_url, `REFUND.${rec.status}`, "refund", resource);
  return c.json(await deliver(n, b.deliver !== false));
});

/** Any resource, signed and encrypted as WeChat would — for testing how the merchant treats odd notifications. */
payRoutes.post("/sandbox/notifications", async (c) => {
  const b = await controlBody(c);
  const eventType = String(b.event_type ?? "TRANSACTION.SUCCESS");
  const originalType = eventType.startsWith("REFUND.") ? "refund" : "transaction";
  const timestamp = b.timestamp === undefined ? undefined : String(b.timestamp);
  const n = await buildNotification(c.env, String(b.notify_url ?? ""), eventType, originalType, b.resource ?? {}, timestamp);
  return c.json(await deliver(n, b.deliver === true));
});

/** The sandbox's record of a transaction, unsigned, for tests and the demo. */
payRoutes.get("/sandbox/transactions/:no", (c) => {
  const tx = transactions.get(c.req.param("no"));
  return tx ? c.json({ ...txView(tx), prepay_id: tx.prepay_id, notify_url: tx.notify_url }) : c.json({ error: "no such out_trade_no" }, 404);
});

export { payRoutes };
