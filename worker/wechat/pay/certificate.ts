import { bytesToBase64 } from "../../http/encoding";
import { pemToDer } from "./crypto";

/**
 * Platform-certificate mode: WeChat Pay may sign with a platform certificate instead of the WeChat Pay public key,
 * naming it by its serial number in `Wechatpay-Serial`. This reads just enough X.509 DER to get that serial
 * (uppercase hex, as WeChat and wechatpay-go print it) and the SubjectPublicKeyInfo to verify with.
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version, serialNumber INTEGER, signature, issuer,
 * validity, subject, subjectPublicKeyInfo, … }, … } — RFC 5280 §4.1.
 */
type Tlv = { tag: number; start: number; end: number; headerEnd: number };

function readTlv(der: Uint8Array, at: number): Tlv {
  if (at + 2 > der.length) throw new Error("truncated DER");
  const tag = der[at];
  let len = der[at + 1];
  let offset = at + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || offset + n > der.length) throw new Error("unsupported DER length");
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + der[offset + i];
    offset += n;
  }
  if (offset + len > der.length) throw new Error("truncated DER");
  return { tag, start: at, headerEnd: offset, end: offset + len };
}

/** The children of a constructed TLV. */
function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.headerEnd; at < parent.end; ) {
    const t = readTlv(der, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

export type PlatformCertificate = { serial: string; spkiPem: string };

export function readCertificate(pem: string): PlatformCertificate {
  const der = pemToDer(pem);
  const cert = readTlv(der, 0);
  const tbs = children(der, cert)[0];
  const fields = children(der, tbs);
  const i = fields[0]?.tag === 0xa0 ? 1 : 0; // optional explicit [0] version
  const serialTlv = fields[i];
  const spki = fields[i + 5];
  if (cert.tag !== 0x30 || tbs?.tag !== 0x30 || serialTlv?.tag !== 0x02 || spki?.tag !== 0x30) throw new Error("not an X.509 certificate");
  let serialBytes = der.subarray(serialTlv.headerEnd, serialTlv.end);
  while (serialBytes.length > 1 && serialBytes[0] === 0) serialBytes = serialBytes.subarray(1);
  const serial = Array.from(serialBytes, (b) => b.toString(16).padStart(2, "0")).join("").toUpperCase();
  const spkiB64 = bytesToBase64(der.subarray(spki.start, spki.end));
  return { serial, spkiPem: `-----BEGIN PUBLIC KEY-----\n${spkiB64.replace(/(.{64})/g, "$1\n")}\n-----END PUBLIC KEY-----` };
}

/** Every certificate in a PEM bundle (several BEGIN CERTIFICATE blocks may be concatenated). */
export function readCertificates(bundle: string): PlatformCertificate[] {
  const blocks = bundle.replace(/\\n/g, "\n").match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map(readCertificate);
}
