import type { Identity } from "../http/auth";
import { authorityStatement } from "../http/authority";
import { ApiError } from "../http/problem";
import { wechatConfig } from "../wechat/code2session";
import { getUnlimitedWxaCode } from "../wechat/wxacode";
import { partnerFrom } from "./partner";

/** The page the invite code opens; the referral is in the scene (`i=<inviteCode>`, read by the mini-program). */
const POSTER_PAGE = "pages/index/index";

/**
 * The partner's invite poster: the mini-program code for `scene=i=<inviteCode>`, asked of WeChat once and kept in
 * R2 (`posters/<memberId>.png`), then served from there. Two first requests at once may both ask WeChat; the same
 * key is written with equivalent bytes and the first row recorded wins.
 */
export async function invitePoster(env: Env, identity: Identity, now = Date.now()): Promise<ArrayBuffer> {
  const d1 = env.DB;
  const [authority, member, stored] = await d1.batch([
    authorityStatement(d1, identity.memberId),
    d1.prepare("SELECT invite_code FROM members WHERE id = ?").bind(identity.memberId),
    d1.prepare("SELECT object_key FROM invite_posters WHERE member_id = ?").bind(identity.memberId),
  ]);
  partnerFrom(identity, authority.results[0]);
  const key = (stored.results[0] as { object_key: string } | undefined)?.object_key;
  if (key) {
    const object = await env.MEDIA.get(key);
    if (object) return object.arrayBuffer();
  }
  const inviteCode = (member.results[0] as { invite_code: string } | undefined)?.invite_code;
  if (!inviteCode) throw ApiError.unauthorized("This member no longer exists; log in again.");
  const code = await getUnlimitedWxaCode(d1, wechatConfig(env), `i=${inviteCode}`, POSTER_PAGE);
  const objectKey = `posters/${identity.memberId}.png`;
  await env.MEDIA.put(objectKey, code.bytes, { httpMetadata: { contentType: code.contentType } });
  await d1.prepare("INSERT INTO invite_posters (member_id, object_key, created_at) VALUES (?, ?, ?) ON CONFLICT (member_id) DO NOTHING").bind(identity.memberId, objectKey, now).run();
  return code.bytes;
}
