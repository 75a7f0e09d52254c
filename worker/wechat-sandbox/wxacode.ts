import { Hono } from "hono";
import { injectedFailure, type SandboxEnv } from "./conventions";
import { isCurrentToken } from "./token";

/**
 * getwxacodeunlimit: answers a real PNG (a 21×21-module pattern derived from the scene, scaled up) so the product's
 * poster path stores and serves real image bytes. A scene `sandbox-error:<errcode>` answers that error, like WeChat.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
 */
export const wxacode = new Hono<SandboxEnv>().post("/wxa/getwxacodeunlimit", async (c) => {
  const body = await c.req.json<{ scene?: string; page?: string }>().catch(() => null);
  if (!isCurrentToken(c.req.query("access_token"))) return c.json({ errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" });
  const injected = injectedFailure(c, body?.scene);
  if (injected) return injected;
  const scene = body?.scene ?? "";
  if (!scene || scene.length > 32) return c.json({ errcode: 40169, errmsg: "invalid length for scene, or the data is not json" });
  return c.body(await patternPng(scene), 200, { "content-type": "image/png" });
});

const MODULES = 21;
const SCALE = 8;

async function patternPng(scene: string): Promise<ArrayBuffer> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(scene)));
  const size = MODULES * SCALE;
  const raw = new Uint8Array(size * (size + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) {
      const m = Math.floor(y / SCALE) * MODULES + Math.floor(x / SCALE);
      const dark = (digest[m % 32] >> (m % 8)) & 1;
      raw[y * (size + 1) + 1 + x] = dark ? 0 : 255;
    }
  }
  const idat = await new Response(new Blob([raw]).stream().pipeThrough(new CompressionStream("deflate"))).arrayBuffer();
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, size);
  v.setUint32(4, size);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit grayscale
  const parts = [new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", ihdr), chunk("IDAT", new Uint8Array(idat)), chunk("IEND", new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out.buffer;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const v = new DataView(out.buffer);
  v.setUint32(0, data.length);
  out.set(new TextEncoder().encode(type), 4);
  out.set(data, 8);
  v.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}
