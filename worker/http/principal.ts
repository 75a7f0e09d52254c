/** Who is calling: identity and authority, shared by the auth middleware and the request context. */
export const TIERS = ["member", "promoter", "channel_partner", "shareholder"] as const;
export type Tier = (typeof TIERS)[number];
export const ROLES = ["admin"] as const;
export type Role = (typeof ROLES)[number];

/** Tiers with promotion rights see partner features (earnings, team, withdrawals). */
export const PARTNER_TIERS: readonly Tier[] = ["promoter", "channel_partner", "shareholder"];

/** The known roles in a stored JSON array; anything else is dropped. */
export function rolesOf(raw: unknown): Role[] {
  return Array.isArray(raw) ? raw.filter((r): r is Role => ROLES.includes(r as Role)) : [];
}

/** Who the caller is: all a token proves. */
export type Identity = { memberId: string };

/**
 * What the caller may do, read from D1 on this request (worker/http/authority.ts), never from the token.
 * `adminId` is set when the caller authenticated with the admin console's session cookie.
 */
export type Principal = Identity & { tier: Tier; roles: Role[]; adminId?: string };
