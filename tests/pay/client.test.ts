import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { WechatPayError, authorizationHeader, wechatPayConfig, wechatPayRequest } from "../../worker/wechat/pay/client";
import { closeTransaction, jsapiPrepay, queryTransaction } from "../../worker/wechat/pay/api";

/** A key pair nobody configured: to sign as a stranger, or to expect answers from a stranger. */
async function strangerPem() {
  const pair = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
  const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${btoa(String.fromCharCode(...new Uint8Array(der)))}\n-----END ${label}-----`;
  return { privateKey: pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer), publicKey: pem("PUBLIC KEY", (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer) };
}

const prepay = (outTradeNo: string) => ({ description: "测试课程", outTradeNo, amountFen: 100, openid: "openid-client", timeExpire: new Date(Date.now() + 600_000), notifyPath: "/api/pay/notify" });

describe("the WeChat Pay client against the sandbox", () => {
  it("gets a prepay id, queries the order and closes it, every answer's signature verified", async () => {
    const config = wechatPayConfig(env);
    expect(await jsapiPrepay(config, prepay("CLIENTTEST0001"))).toMatch(/^wx/);
    expect(await queryTransaction(config, "CLIENTTEST0001")).toMatchObject({ out_trade_no: "CLIENTTEST0001", trade_state: "NOTPAY", amount: { total: 100 } });
    await closeTransaction(config, "CLIENTTEST0001");
    expect((await queryTransaction(config, "CLIENTTEST0001"))?.trade_state).toBe("CLOSED");
    expect(await queryTransaction(config, "CLIENTTEST_NONE")).toBeNull();
  });

  it("is refused by WeChat when it signs with a key WeChat does not know", async () => {
    const stranger = await strangerPem();
    const config = { ...wechatPayConfig(env), privateKeyPem: stranger.privateKey };
    await expect(jsapiPrepay(config, prepay("CLIENTTEST0002"))).rejects.toMatchObject({ httpStatus: 401, wechatCode: "SIGN_ERROR" });
  });

  it("refuses an answer not signed with the configured WeChat Pay public key", async () => {
    const stranger = await strangerPem();
    const config = { ...wechatPayConfig(env), publicKeyPem: stranger.publicKey };
    const err = await jsapiPrepay(config, prepay("CLIENTTEST0003")).catch((e) => e);
    expect(err).toBeInstanceOf(WechatPayError);
    expect(err).toMatchObject({ wechatCode: "UNVERIFIED_RESPONSE", status: 502 });
  });

  it("signs the exact path and query WeChat sees", async () => {
    const config = wechatPayConfig(env);
    const header = await authorizationHeader(config, "GET", "/v3/pay/transactions/out-trade-no/X?mchid=1900000001", "");
    expect(header).toMatch(new RegExp(`^WECHATPAY2-SHA256-RSA2048 mchid="${config.mchid}",nonce_str="[A-Z0-9]{32}",signature="[A-Za-z0-9+/=]+",timestamp="\\d+",serial_no="${config.serialNo}"$`));
    await expect(wechatPayRequest(config, "GET", `/v3/pay/transactions/out-trade-no/NOPE?mchid=${config.mchid}`)).rejects.toMatchObject({ wechatCode: "ORDER_NOT_EXIST" });
  });
});
