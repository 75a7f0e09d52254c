import { env } from "cloudflare:workers";
import { issueToken, type Role, type Tier } from "../../worker/http/auth";

/**
 * A member row with this tier and roles (created or overwritten) and a token for them. The token proves identity
 * only, so what a test wants the caller to be allowed must be in D1.
 */
export async function memberToken(id: string, o: { tier?: Tier; roles?: Role[] } = {}): Promise<string> {
  const tier = o.tier ?? "member";
  const roles = JSON.stringify(o.roles ?? []);
  await env.DB.prepare(
    `INSERT INTO members (id, openid, invite_code, tier, roles, created_at) VALUES (?1, 'openid-' || ?1, 'inv-' || ?1, ?2, ?3, ?4)
     ON CONFLICT (id) DO UPDATE SET tier = ?2, roles = ?3`,
  ).bind(id, tier, roles, Date.now()).run();
  return issueToken(env, { memberId: id });
}
