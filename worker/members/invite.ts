/**
 * Invite codes are short enough to read aloud and to fit a mini-program code's `scene` (≤ 32 characters),
 * random rather than sequential so nobody can walk the member list: 8 symbols from a 32-letter alphabet
 * without look-alikes (0/O, 1/I) is 40 bits.
 */
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
export const INVITE_CODE_LENGTH = 8;
export const INVITE_CODE_PATTERN = /^[23456789A-HJ-NP-Z]{8}$/;

export function newInviteCode(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(INVITE_CODE_LENGTH));
  let code = "";
  for (const b of bytes) code += ALPHABET[b & 31];
  return code;
}

/** Codes are typed by people: accept lower case and stray spaces. */
export function normalizeInviteCode(raw: string): string {
  return raw.replace(/\s+/g, "").toUpperCase();
}

/** The mini-program code's `scene` (max 32 visible characters, no `?`): `i=<code>`. */
export function sceneFor(inviteCode: string): string {
  return `i=${inviteCode}`;
}

export function pathFor(inviteCode: string): string {
  return `pages/index/index?inviteCode=${inviteCode}`;
}

/**
 * `wx.getLaunchOptionsSync().query.scene` arrives URL-encoded (`i%3DABCD2345`); accept it either way.
 * https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/qrcode-link/qr-code/getUnlimitedQRCode.html
 */
export function inviteCodeFromScene(scene: string): string | null {
  let decoded = scene;
  try {
    decoded = decodeURIComponent(scene);
  } catch {
    return null;
  }
  const code = new URLSearchParams(decoded).get("i");
  return code ? normalizeInviteCode(code) : null;
}
