import { describe, expect, it } from "vitest";
import {
  decryptAeadAes256Gcm, encryptAeadAes256Gcm, importPrivateKey, importPublicKey, signSha256WithRsa, verifySha256WithRsa,
} from "../../worker/wechat/pay/crypto";
import { authorizationHeader, signatureProblem } from "../../worker/wechat/pay/client";
import { requestPaymentParams } from "../../worker/wechat/pay/api";
import { readCertificate, readCertificates } from "../../worker/wechat/pay/certificate";

// Published vectors of wechatpay-apiv3/wechatpay-go: core/auth/signers/sha256withrsa_signer_test.go,
// core/auth/verifiers/sha256withrsa_pubkey_verifier_test.go and utils/aes_test.go.
const GO_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----
MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQDZUJN33V+dSfvd
fL0Mu+39XrZNXFFMQSy1V15FpncHeV47SmV0TzTqZc7hHB0ddqAdDi8Z5k3TKqb7
6sOwYr5TcAfuR6PIPaleyE0/0KrljBum2Isa2Nyq7Dgc3ElBQ6YN4l/a+DpvKaz1
FSKmKrhLNskqokWVSlu4g8OlKlbPXQ9ibII14MZRQrrkTmHYHzfi7GXXM0thAKuR
0HNvyhTHBh4/lrYM3GaMvmWwkwvsMavnOex6+eioZHBOb1/EIZ/LzC6zuHArPpyW
3daGaZ1rtQB1vVzTyERAVVFsXXgBHvfFud3w3ShsJYk8JvMwK2RpJ5/gV0QSARcm
LDRUAlPzAgMBAAECggEBAMc7rDeUaXiWv6bMGbZ3BTXpg1FhdddnWUnYE8HfX/km
OFI7XtBHXcgYFpcjYz4D5787pcsk7ezPidAj58zqenuclmjKnUmT3pfbI5eCA2v4
C9HnbYDrmUPK1ZcADtka4D6ScDccpNYNa1g2TFHzkIrEa6H+q7S3O2fqxY/DRVtN
0JIXalBb8daaqL5QVzSmM2BMVnHy+YITJWIkP2a3pKs9C0W65JGDsnG0wVrHinHF
+cnhFZIbaPEI//DAFMc9NkrWOKVRTEgcCUxCFaHOZVNxDWZD7A2ZfJB2rK6eg//y
gEiFDR2h6mTaDowMB4YF2n2dsIO4/dCG8vPHI20jn4ECgYEA/ZGu6lEMlO0XZnam
AZGtiNgLcCfM/C2ZERZE7QTRPZH1WdK92Al9ndldsswFw4baJrJLCmghjF/iG4zi
hhBvLnOLksnZUfjdumxoHDWXo2QBWbI5QsWIE7AuTiWgWj1I7X4fCXSQf6i+M/y2
6TogQ7d0ANpZFyOkTNMn/tiJvLECgYEA22XqlamG/yfAGWery5KNH2DGlTIyd6xJ
WtJ9j3jU99lZ0bCQ5xhiBbU9ImxCi3zgTsoqLWgA/p00HhNFNoUcTl9ofc0G3zwT
D1y0ZzcnVKxGJdZ6ohW52V0hJStAigtjYAsUgjm7//FH7PiQDBDP1Wa6xSRkDQU/
aSbQxvEE8+MCgYEA3bb8krW7opyM0XL9RHH0oqsFlVO30Oit5lrqebS0oHl3Zsr2
ZGgoBlWBsEzk3UqUhTFwm/DhJLTSJ/TQPRkxnhQ5/mewNhS9C7yua7wQkzVmWN+V
YeUGTvDGDF6qDz12/vJAgSwDDRym8x4NcXD5tTw7mmNRcwIfL22SkysThIECgYAV
BgccoEoXWS/HP2/u6fQr9ZIR6eV8Ij5FPbZacTG3LlS1Cz5XZra95UgebFFUHHtC
EY1JHJY7z8SWvTH8r3Su7eWNaIAoFBGffzqqSVazfm6aYZsOvRY6BfqPHT3p/H1h
Tq6AbBffxrcltgvXnCTORjHPglU0CjSxVs7awW3AEQKBgB5WtaC8VLROM7rkfVIq
+RXqE5vtJfa3e3N7W3RqxKp4zHFAPfr82FK5CX2bppEaxY7SEZVvVInKDc5gKdG/
jWNRBmvvftZhY59PILHO2X5vO4FXh7suEjy6VIh0gsnK36mmRboYIBGsNuDHjXLe
BDa+8mDLkWu5nHEhOxy2JJZl
-----END PRIVATE KEY-----`;
const GO_PUBLIC_KEY = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA2VCTd91fnUn73Xy9DLvt
/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXagHQ4vGeZN0yqm++rDsGK+
U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOmDeJf2vg6byms9RUipiq4
SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B834uxl1zNLYQCrkdBzb8oU
xwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGfy8wus7hwKz6clt3Whmmd
a7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtkaSef4FdEEgEXJiw0VAJT
8wIDAQAB
-----END PUBLIC KEY-----`;
const GO_SIGNATURE_OF_SOURCE =
  "BKyAfU4iMCuvXMXS0Wzam3V/cnxZ+JaqigPM5OhljS2iOT95OO6Fsuml2JkFANJU9K6q9bLlDhPXuoVz+pp4hAm6" +
  "pHU4ld815U4jsKu1RkyaII+1CYBUYC8TK0XtJ8FwUXXz8vZHh58rrAVN1XwNyvD1vfpxrMT4SL536GLwvpUHlCqIMzoZUguLli/K8V29QiOh" +
  "uH6IEqLNJn8e9b3nwNcQ7be3CzYGpDAKBfDGPCqCv8Rw5zndhlffk2FEA70G4hvMwe51qMN/RAJbknXG23bSlObuTCN7Ndj1aJGH6/L+hdwf" +
  "LpUtJm4QYVazzW7DFD27EpSQEqA8bX9+8m1rLg==";
// utils/pem_test.go: a certificate for the same key pair, serial D7CE59D1F522D701.
const GO_CERTIFICATE = `-----BEGIN CERTIFICATE-----
MIIDVzCCAj+gAwIBAgIJANfOWdH1ItcBMA0GCSqGSIb3DQEBCwUAMEIxCzAJBgNV
BAYTAlhYMRUwEwYDVQQHDAxEZWZhdWx0IENpdHkxHDAaBgNVBAoME0RlZmF1bHQg
Q29tcGFueSBMdGQwHhcNMjEwNDI3MDg1NTIzWhcNMzEwNDI1MDg1NTIzWjBCMQsw
CQYDVQQGEwJYWDEVMBMGA1UEBwwMRGVmYXVsdCBDaXR5MRwwGgYDVQQKDBNEZWZh
dWx0IENvbXBhbnkgTHRkMIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA
2VCTd91fnUn73Xy9DLvt/V62TVxRTEEstVdeRaZ3B3leO0pldE806mXO4RwdHXag
HQ4vGeZN0yqm++rDsGK+U3AH7kejyD2pXshNP9Cq5YwbptiLGtjcquw4HNxJQUOm
DeJf2vg6byms9RUipiq4SzbJKqJFlUpbuIPDpSpWz10PYmyCNeDGUUK65E5h2B83
4uxl1zNLYQCrkdBzb8oUxwYeP5a2DNxmjL5lsJML7DGr5znsevnoqGRwTm9fxCGf
y8wus7hwKz6clt3Whmmda7UAdb1c08hEQFVRbF14AR73xbnd8N0obCWJPCbzMCtk
aSef4FdEEgEXJiw0VAJT8wIDAQABo1AwTjAdBgNVHQ4EFgQUT1c7nd/SUO76HSoZ
umNUJv1R5PwwHwYDVR0jBBgwFoAUT1c7nd/SUO76HSoZumNUJv1R5PwwDAYDVR0T
BAUwAwEB/zANBgkqhkiG9w0BAQsFAAOCAQEAfTjxKRQMzNB/U6ZoCUS+BSNfa2Oh
0plMN6ZuzwiVVZwg1jywvv5yv04koS7Pd4i9E4gt9ZBUQXlpq+A3oOCEEHNRR6b2
kyazGRM7s0OP5X21WrbpSmKmU6K7hkfx30yYs08LVs/Q8DIhvaj1FCFeJzUCzYn/
fHMq4tsbKO0dKAeydPM/nrUZBmaYQVKMVOORGLFjFKVO7JV6Kq/R86ouhjEPgJOe
2xulNBUcjicqtZlBdEh/PWCYP2SpGVDclKm8jeo175T3EVAkdKzzmfpxtMmnMlmq
cTJOU9TxuGvNASMtjj7pYIerTx+xgZDXEVBWFW9PjJ0TV06tCRsgSHItgg==
-----END CERTIFICATE-----`;
const GO_AES = {
  apiV3Key: "testAPIv3Key0000",
  ciphertext: "FsdXzxryWfKwvLJKf8LG/ToRPTRh8RN9wROC",
  plaintext: "Hello World",
  nonce: "wCq51qZv4Yfg",
  associatedData: "Dl56FrqWQJF1t9LtC3vEUsniZKvbqdR8",
};

describe("WeChat Pay protocol against wechatpay-go's published vectors", () => {
  it("signs 'source' with the test key exactly as wechatpay-go's signer does", async () => {
    const key = await importPrivateKey(GO_PRIVATE_KEY);
    expect(await signSha256WithRsa(key, "source")).toBe(GO_SIGNATURE_OF_SOURCE);
  });

  it("verifies that signature with the public key and refuses a wrong message or a non-base64 signature", async () => {
    const key = await importPublicKey(GO_PUBLIC_KEY);
    expect(await verifySha256WithRsa(key, "source", GO_SIGNATURE_OF_SOURCE)).toBe(true);
    expect(await verifySha256WithRsa(key, "wrong source", GO_SIGNATURE_OF_SOURCE)).toBe(false);
    expect(await verifySha256WithRsa(key, "source", "invalid base64 signature")).toBe(false);
    expect(await verifySha256WithRsa(key, "source", "")).toBe(false);
  });

  it("decrypts wechatpay-go's AES-GCM vector and refuses a wrong key, bad base64 or a forged ciphertext", async () => {
    const v = GO_AES;
    expect(await decryptAeadAes256Gcm(v.apiV3Key, v.associatedData, v.nonce, v.ciphertext)).toBe(v.plaintext);
    await expect(decryptAeadAes256Gcm("testAPIv3Key1111", v.associatedData, v.nonce, v.ciphertext)).rejects.toThrow();
    await expect(decryptAeadAes256Gcm("not a aes key", v.associatedData, v.nonce, v.ciphertext)).rejects.toThrow();
    await expect(decryptAeadAes256Gcm(v.apiV3Key, v.associatedData, v.nonce, "invalid cipher")).rejects.toThrow();
    await expect(decryptAeadAes256Gcm(v.apiV3Key, v.associatedData, v.nonce, "SGVsbG8gV29ybGQK")).rejects.toThrow();
    await expect(decryptAeadAes256Gcm(v.apiV3Key, "other data", v.nonce, v.ciphertext)).rejects.toThrow();
  });

  it("encrypts to the same ciphertext it decrypts (the sandbox's side of the vector)", async () => {
    const v = GO_AES;
    expect(await encryptAeadAes256Gcm(v.apiV3Key, v.associatedData, v.nonce, v.plaintext)).toBe(v.ciphertext);
  });

  it("builds the Authorization header over METHOD\\nURL\\ntimestamp\\nnonce\\nbody\\n", async () => {
    const config = { mchid: "1234567890", serialNo: "F5765756002FDD77", privateKeyPem: GO_PRIVATE_KEY };
    const header = await authorizationHeader(config, "GET", "/v3/certificates", "", "1554208460", "593BEC0C930BF1AFEB40B4A08C8FB242");
    const m = /^WECHATPAY2-SHA256-RSA2048 mchid="1234567890",nonce_str="593BEC0C930BF1AFEB40B4A08C8FB242",signature="([^"]+)",timestamp="1554208460",serial_no="F5765756002FDD77"$/.exec(header);
    expect(m).not.toBeNull();
    const key = await importPublicKey(GO_PUBLIC_KEY);
    expect(await verifySha256WithRsa(key, "GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n", m![1])).toBe(true);
  });

  it("signs wx.requestPayment parameters over appId\\ntimeStamp\\nnonceStr\\npackage\\n", async () => {
    const p = await requestPaymentParams({ appid: "wx8888888888888888", privateKeyPem: GO_PRIVATE_KEY }, "wx201410272009395522657a690389285100", 1414561699_000, "5K8264ILTKCH16CQ2502SI8ZNMTM67VS");
    expect(p).toMatchObject({ timeStamp: "1414561699", nonceStr: "5K8264ILTKCH16CQ2502SI8ZNMTM67VS", package: "prepay_id=wx201410272009395522657a690389285100", signType: "RSA" });
    const key = await importPublicKey(GO_PUBLIC_KEY);
    const message = "wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx201410272009395522657a690389285100\n";
    expect(await verifySha256WithRsa(key, message, p.paySign)).toBe(true);
  });

  it("refuses probes, stale timestamps, unknown serials and missing headers before verifying", async () => {
    const cfg = { publicKeyId: "PUB_KEY_ID_0114232134912410000000000000", publicKeyPem: GO_PUBLIC_KEY };
    const now = 1_700_000_000_000;
    const ts = String(now / 1000);
    const base = { timestamp: ts, nonce: "n", serial: cfg.publicKeyId, body: "{}" };
    expect(await signatureProblem(cfg, { ...base, signature: "WECHATPAY/SIGNTEST/abc" }, now)).toBe("signature probe");
    expect(await signatureProblem(cfg, { ...base, signature: "x", timestamp: String(now / 1000 - 301) }, now)).toMatch(/5-minute/);
    expect(await signatureProblem(cfg, { ...base, signature: "x", serial: "OTHER" }, now)).toMatch(/unknown key serial/);
    expect(await signatureProblem(cfg, { ...base, signature: null }, now)).toMatch(/missing/);
    expect(await signatureProblem(cfg, { ...base, signature: GO_SIGNATURE_OF_SOURCE }, now)).toMatch(/does not verify/);
  });

  it("reads a platform certificate's serial and key as wechatpay-go does, and verifies by certificate serial", async () => {
    const cert = readCertificate(GO_CERTIFICATE);
    expect(cert.serial).toBe("D7CE59D1F522D701");
    expect(await verifySha256WithRsa(await importPublicKey(cert.spkiPem), "source", GO_SIGNATURE_OF_SOURCE)).toBe(true);
    expect(readCertificates(`${GO_CERTIFICATE}\n${GO_CERTIFICATE}`)).toHaveLength(2);
    expect(() => readCertificate(GO_PUBLIC_KEY)).toThrow();

    const now = 1_700_000_000_000;
    const timestamp = String(now / 1000);
    const signer = await importPrivateKey(GO_PRIVATE_KEY);
    const signature = await signSha256WithRsa(signer, `${timestamp}\nNONCE\n{"a":1}\n`);
    const cfg = { publicKeyId: "PUB_KEY_ID_X", publicKeyPem: "", platformCertificates: [cert] };
    expect(await signatureProblem(cfg, { timestamp, nonce: "NONCE", body: '{"a":1}', serial: "D7CE59D1F522D701", signature }, now)).toBeNull();
    expect(await signatureProblem(cfg, { timestamp, nonce: "NONCE", body: '{"a":2}', serial: "D7CE59D1F522D701", signature }, now)).toMatch(/does not verify/);
  });
});
