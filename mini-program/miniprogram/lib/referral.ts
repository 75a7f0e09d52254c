/**
 * Where a member came from. A share link opens a page with `?inviteCode=<code>`; a scanned mini-program
 * code (wxacode.getUnlimited) opens it with `?scene=<url-encoded "i=<code>">`.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
 */
export type Referral = { inviteCode: string; source: "share" | "scene" };

/** Invite codes are typed by people as well: tolerate lower case and stray spaces. */
export function normalizeInviteCode(raw: string): string {
  return raw.replace(/\s+/g, "").toUpperCase();
}

const PLAUSIBLE_CODE = /^[0-9A-Z]{4,32}$/;

/** Decodes a `scene` (URL-encoded once by WeChat, sometimes twice by a CMS) and reads its `i=` field. */
export function inviteCodeFromScene(scene: string): string | null {
  let decoded = scene;
  for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      return null;
    }
  }
  for (const pair of decoded.split("&")) {
    const eq = pair.indexOf("=");
    if (eq > 0 && pair.slice(0, eq).trim() === "i") {
      const code = normalizeInviteCode(pair.slice(eq + 1));
      return PLAUSIBLE_CODE.test(code) ? code : null;
    }
  }
  return null;
}

/** Reads the referral from a page's or the launch's query; a share link wins over a scene. */
export function referralFromQuery(query: Record<string, string | undefined> | undefined): Referral | null {
  if (!query) return null;
  if (query.inviteCode) {
    let raw = query.inviteCode;
    try {
      raw = decodeURIComponent(raw);
    } catch {
      return null;
    }
    const code = normalizeInviteCode(raw);
    return PLAUSIBLE_CODE.test(code) ? { inviteCode: code, source: "share" } : null;
  }
  if (query.scene) {
    const code = inviteCodeFromScene(query.scene);
    return code ? { inviteCode: code, source: "scene" } : null;
  }
  return null;
}
