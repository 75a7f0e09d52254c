import { ACCESS_TOKEN_ERRCODES, getAccessToken } from "./access-token";
import type { WechatConfig } from "./code2session";
import { WechatError, wechatProblem, wechatUnavailable } from "./errors";

/**
 * A mini-program code for `scene` (≤ 32 visible characters) opening `page`: WeChat answers the image bytes on
 * success and `{ errcode, errmsg }` JSON on failure. An access token WeChat no longer accepts is refreshed once.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
 */
export async function getUnlimitedWxaCode(d1: D1Database, config: WechatConfig, scene: string, page: string): Promise<{ bytes: ArrayBuffer; contentType: string }> {
  const call = async (accessToken: string) => {
    const url = new URL("/wxa/getwxacodeunlimit", config.apiBase);
    url.searchParams.set("access_token", accessToken);
    let res: Response;
    try {
      res = await fetch(url.toString(), {
        method: "POST", headers: { "content-type": "application/json" }, signal: AbortSignal.timeout(8000),
        // check_path false: the page may not be published yet (a trial version); WeChat then accepts any page.
        body: JSON.stringify({ scene, page, check_path: false, width: 430 }),
      });
    } catch (e) {
      throw wechatUnavailable(e instanceof Error ? e.message : String(e));
    }
    const contentType = res.headers.get("content-type") ?? "";
    if (res.ok && contentType.startsWith("image/")) return { bytes: await res.arrayBuffer(), contentType };
    const body = (await res.json().catch(() => null)) as { errcode?: number; errmsg?: string } | null;
    if (body?.errcode) throw wechatProblem(body.errcode, body.errmsg);
    throw wechatUnavailable(`getwxacodeunlimit answered HTTP ${res.status} ${contentType}`);
  };
  try {
    return await call(await getAccessToken(d1, config));
  } catch (e) {
    if (!(e instanceof WechatError && e.errcode !== undefined && ACCESS_TOKEN_ERRCODES.includes(e.errcode))) throw e;
    return call(await getAccessToken(d1, config, { forceRefresh: true }));
  }
}
