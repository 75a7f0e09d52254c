import { auditStatement } from "../audit/log";
import { maskName, openPii, sealPii } from "../http/pii";

/** The real name WeChat needs for transfers from ¥2,000, sealed with AES-GCM; only its masked form leaves the server. */
export const realNameContext = (memberId: string) => `real_name:${memberId}`;

export async function setRealName(env: Env, memberId: string, realName: string, requestId?: string, now = new Date()): Promise<{ realNameMasked: string }> {
  const sealed = await sealPii(env, realNameContext(memberId), realName);
  const d1 = env.DB;
  await d1.batch([
    d1.prepare(
      `INSERT INTO payee_profiles (member_id, real_name_ciphertext, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (member_id) DO UPDATE SET real_name_ciphertext = excluded.real_name_ciphertext, updated_at = excluded.updated_at`,
    ).bind(memberId, sealed, now.getTime()),
    // The audit row names the change, never the name itself.
    auditStatement(d1, { actorId: memberId, actorKind: "member", action: "payee.real_name_set", targetType: "member", targetId: memberId, requestId }),
  ]);
  return { realNameMasked: maskName(realName) };
}

export async function maskedRealName(env: Env, memberId: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT real_name_ciphertext FROM payee_profiles WHERE member_id = ?").bind(memberId).first<{ real_name_ciphertext: string }>();
  return row ? maskName(await openPii(env, realNameContext(memberId), row.real_name_ciphertext)) : null;
}
