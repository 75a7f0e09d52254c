import { Hono } from "hono";
import { decryptSensitiveField } from "../wechat/pay/crypto";
import { answer, buildNotification, controlBody, cst, deliver, digits, fail, verifiedBody, type PaySandboxBindings } from "./pay";

/**
 * WeChat Pay merchant transfers (商家转账) in the sandbox: create (checks the merchant signature, the scene
 * report infos and, from ¥2,000, the RSA-OAEP encrypted user_name with its Wechatpay-Serial), query and cancel
 * by out_bill_no, with WeChat's states. Control endpoints (not WeChat's):
 *   POST /sandbox/merchant-transfer {out_bill_no | package, state?: SUCCESS|FAIL|CANCELLED, fail_reason?, deliver?}
 *     — the member confirmed (SUCCESS, the default) or the transfer failed; answers the signed
 *       MCHTRANSFER.BILL.FINISHED notification and, unless `deliver: false`, POSTs it to the bill's notify_url;
 *   POST /sandbox/transfer-bills/{no}/fault {kind: "lose-answer" | "http-500" | "error:<CODE>"}
 *     — the next create of that bill number misbehaves once ("lose-answer": the bill is made, the answer is a 500);
 *   GET /sandbox/transfer-bills/{no} — the sandbox's record (with the decrypted user_name) for tests.
 */
type Env = { Bindings: PaySandboxBindings };

type Bill = {
  out_bill_no: string; transfer_bill_no: string; appid: string; mch_id: string; openid: string; transfer_amount: number;
  transfer_remark: string; notify_url: string; transfer_scene_id: string; user_name?: string; package_info: string;
  state: "WAIT_USER_CONFIRM" | "TRANSFERING" | "SUCCESS" | "FAIL" | "CANCELING" | "CANCELLED"; fail_reason?: string;
  create_time: string; update_time: string;
};

const bills = new Map<string, Bill>();
const faults = new Map<string, string>();
const FINAL = new Set(["SUCCESS", "FAIL", "CANCELLED"]);

const billView = (b: Bill) => ({
  mch_id: b.mch_id, out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, appid: b.appid, state: b.state,
  transfer_amount: b.transfer_amount, transfer_remark: b.transfer_remark, fail_reason: b.fail_reason, openid: b.openid,
  create_time: b.create_time, update_time: b.update_time,
});

export const transferRoutes = new Hono<Env>();

transferRoutes.post("/v3/fund-app/mch-transfer/transfer-bills", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  let r: {
    appid?: string; out_bill_no?: string; transfer_scene_id?: string; openid?: string; user_name?: string; transfer_amount?: number;
    transfer_remark?: string; notify_url?: string; transfer_scene_report_infos?: { info_type?: string; info_content?: string }[];
  };
  try { r = JSON.parse(v.body); } catch { return fail(c, 400, "PARAM_ERROR", "body is not JSON"); }
  if (r.appid !== c.env.WECHAT_APPID) return fail(c, 400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
  const amount = r.transfer_amount;
  if (!r.out_bill_no || !/^[A-Za-z0-9]{5,32}$/.test(r.out_bill_no) || !r.transfer_scene_id || !r.openid || !r.transfer_remark || !r.notify_url
    || !Number.isInteger(amount) || (amount as number) < 10) {
    return fail(c, 400, "PARAM_ERROR", "参数错误");
  }
  const infos = r.transfer_scene_report_infos;
  if (!Array.isArray(infos) || infos.length === 0 || infos.some((i) => !i?.info_type || !i?.info_content)) {
    return fail(c, 400, "PARAM_ERROR", "转账场景报备信息不能为空");
  }
  let userName: string | undefined;
  if (r.user_name) {
    if (c.req.header("wechatpay-serial") !== c.env.SANDBOX_PAY_PUBLIC_KEY_ID) return fail(c, 400, "PARAM_ERROR", "Wechatpay-Serial 与加密公钥不符");
    try {
      userName = await decryptSensitiveField(c.env.SANDBOX_PAY_PRIVATE_KEY, r.user_name);
    } catch {
      return fail(c, 400, "PARAM_ERROR", "user_name 解密失败");
    }
  } else if ((amount as number) >= 200_000) {
    return fail(c, 400, "PARAM_ERROR", "转账金额 >= 2000 元时必须填写收款用户姓名");
  }
  const fault = faults.get(r.out_bill_no);
  if (fault) faults.delete(r.out_bill_no);
  if (fault === "http-500") return fail(c, 500, "SYSTEM_ERROR", "系统错误");
  if (fault?.startsWith("error:")) return fail(c, 400, fault.slice(6), "sandbox injected error");

  const existing = bills.get(r.out_bill_no);
  if (existing) {
    // The same out_bill_no is the same transfer: WeChat answers it again rather than paying twice.
    if (existing.transfer_amount !== amount || existing.openid !== r.openid) return fail(c, 400, "INVALID_REQUEST", "商户单号重复");
  } else {
    const now = cst();
    bills.set(r.out_bill_no, {
      out_bill_no: r.out_bill_no, transfer_bill_no: `1330${digits(26)}`, appid: r.appid, mch_id: c.env.WECHATPAY_MCHID, openid: r.openid,
      transfer_amount: amount as number, transfer_remark: r.transfer_remark, notify_url: r.notify_url, transfer_scene_id: r.transfer_scene_id,
      user_name: userName, package_info: `ABBQO+oYAAABAAAAAAAk${crypto.randomUUID().replaceAll("-", "")}`, state: "WAIT_USER_CONFIRM",
      create_time: now, update_time: now,
    });
  }
  if (fault === "lose-answer") return fail(c, 500, "SYSTEM_ERROR", "系统错误");
  const b = bills.get(r.out_bill_no)!;
  return answer(c, 200, {
    out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, create_time: b.create_time, state: b.state,
    ...(b.state === "WAIT_USER_CONFIRM" ? { package_info: b.package_info } : {}), ...(b.fail_reason ? { fail_reason: b.fail_reason } : {}),
  });
});

transferRoutes.get("/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/:no", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  const b = bills.get(c.req.param("no"));
  if (!b) return fail(c, 404, "NOT_FOUND", "记录不存在");
  return answer(c, 200, billView(b));
});

transferRoutes.post("/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/:no/cancel", async (c) => {
  const v = await verifiedBody(c);
  if (!v.ok) return v.res;
  const b = bills.get(c.req.param("no"));
  if (!b) return fail(c, 404, "NOT_FOUND", "记录不存在");
  if (b.state !== "WAIT_USER_CONFIRM" && b.state !== "CANCELING") return fail(c, 400, "INVALID_REQUEST", "当前单据状态不支持撤销");
  // WeChat answers CANCELING and finishes shortly after; the sandbox finishes at once (a query sees CANCELLED).
  b.state = "CANCELLED";
  b.update_time = cst();
  return answer(c, 200, { out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, state: "CANCELING", update_time: b.update_time });
});

// ── control endpoints (not part of WeChat's API) ────────────────────────────────────────────────────────────

transferRoutes.post("/sandbox/merchant-transfer", async (c) => {
  const body = await controlBody(c);
  const b = typeof body.out_bill_no === "string"
    ? bills.get(body.out_bill_no)
    : [...bills.values()].find((x) => x.package_info === body.package);
  if (!b) return c.json({ error: "no such transfer bill" }, 404);
  const state = body.state === "FAIL" || body.state === "CANCELLED" ? body.state : "SUCCESS";
  if (!FINAL.has(b.state)) {
    b.state = state;
    b.update_time = cst();
    if (state === "FAIL") b.fail_reason = typeof body.fail_reason === "string" ? body.fail_reason : "PAYEE_ACCOUNT_ABNORMAL";
  }
  const resource = {
    out_bill_no: b.out_bill_no, transfer_bill_no: b.transfer_bill_no, state: b.state, mch_id: b.mch_id, transfer_amount: b.transfer_amount,
    openid: b.openid, fail_reason: b.fail_reason, create_time: b.create_time, update_time: b.update_time,
  };
  const n = await buildNotification(c.env, b.notify_url, "MCHTRANSFER.BILL.FINISHED", "mch_payment", resource);
  return c.json(await deliver(n, body.deliver !== false));
});

transferRoutes.post("/sandbox/transfer-bills/:no/fault", async (c) => {
  const body = await controlBody(c);
  const kind = String(body.kind ?? "");
  if (!/^(lose-answer|http-500|error:[A-Z_]{1,40})$/.test(kind)) return c.json({ error: "kind: lose-answer | http-500 | error:<CODE>" }, 400);
  faults.set(c.req.param("no"), kind);
  return c.json({ ok: true });
});

transferRoutes.get("/sandbox/transfer-bills/:no", (c) => {
  const b = bills.get(c.req.param("no"));
  return b ? c.json({ ...b }) : c.json({ error: "no such out_bill_no" }, 404);
});
