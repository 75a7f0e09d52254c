/** Who is calling: identity and authority, shared by the auth middleware and the request context. */
export const TIERS = ["member", "promoter", "channel_partner", "shareholder"] as const;
export type Tier = (typeof TIERS)[number];
export const ROLES = ["admin"] as const;
export type Role = (typeof ROLES)[number];

/** Tiers with promotion rights see partner features (earnings, team, withdrawals). */
export const PARTNER_TIERS: readonly Tier[] = ["promoter", "channel_partner", "shareholder"];

/** `adminId` is set when the caller authenticated with the admin console's session cookie. */
export type Principal = { memberId: string; tier: Tier; roles: Role[]; adminId?: string };
