/**
 * Who may call each route: one declared rule per route, read by tests/http/authorization-matrix.test.ts, which calls
 * every route of /openapi.json as each caller below and expects exactly the declared outcome. A route without a rule
 * here fails that test, so every new route has to state who may call it.
 *
 * Outcomes: `"allowed"` (passes authorization: anything but 401/403, and for an owned object not 404 either),
 * or the exact status the caller gets: 401 (who are you?), 403 (not yours to do), 404 (not yours to see).
 */

/**
 * The callers of the matrix. `otherMember` and `otherPartner` own nothing (so another member's or another partner's
 * objects are tested); the admin member's tier is plain `member`; `adminConsole` is the console's session cookie
 * (with its CSRF token, as the console's pages send it).
 */
export const CALLERS = ["anonymous", "member", "otherMember", "partner", "otherPartner", "adminBearer", "adminConsole"] as const;
export type Caller = (typeof CALLERS)[number];
export type Outcome = "allowed" | 401 | 403 | 404;

/**
 * Objects that belong to one member. A rule with `owned` fills the route's `{id}` with such an object owned by its
 * `owner` caller (`member` or `partner`; the test's fixture for that kind makes one); the others get the declared 404.
 */
export type OwnedKind = "order" | "withdrawal" | "round";
export type Owner = "member" | "partner";

export type AccessRule = { who: Record<Caller, Outcome>; owned?: { kind: OwnedKind; owner: Owner } };

const rule = (who: Record<Caller, Outcome>, owned?: AccessRule["owned"]): AccessRule => (owned ? { who, owned } : { who });

/** Anyone, logged in or not. */
const PUBLIC = rule({ anonymous: "allowed", member: "allowed", otherMember: "allowed", partner: "allowed", otherPartner: "allowed", adminBearer: "allowed", adminConsole: "allowed" });
/** Only WeChat Pay's signature opens it (the pay notifications): every caller without one is 401. */
const WECHATPAY_SIGNED = rule({ anonymous: 401, member: 401, otherMember: 401, partner: 401, otherPartner: 401, adminBearer: 401, adminConsole: 401 });
/** Only a signed media link opens it (players cannot send headers): every caller without a signature is 403. */
const SIGNED_LINK = rule({ anonymous: 403, member: 403, otherMember: 403, partner: 403, otherPartner: 403, adminBearer: 403, adminConsole: 403 });
/** Any logged-in member (bearer JWT from the mini-program; the console cookie is not a member login). */
const MEMBER = rule({ anonymous: 401, member: "allowed", otherMember: "allowed", partner: "allowed", otherPartner: "allowed", adminBearer: "allowed", adminConsole: 401 });
/** Partner tiers only (推广员及以上). */
export const PARTNER = rule({ anonymous: 401, member: 403, otherMember: 403, partner: "allowed", otherPartner: "allowed", adminBearer: 403, adminConsole: 401 });
/** Admins: a bearer JWT with the admin role, or the console's session cookie. */
const ADMIN = rule({ anonymous: 401, member: 403, otherMember: 403, partner: 403, otherPartner: 403, adminBearer: "allowed", adminConsole: "allowed" });
/** A member's own object: everyone else, admins by bearer included, is told it does not exist. */
const OWN = (kind: OwnedKind) =>
  rule({ anonymous: 401, member: "allowed", otherMember: 404, partner: 404, otherPartner: 404, adminBearer: 404, adminConsole: 401 }, { kind, owner: "member" });
/** A partner's own object (earnings, team, withdrawals …): other partners are told it does not exist, non-partners 403. */
export const PARTNER_OWN = (kind: OwnedKind) =>
  rule({ anonymous: 401, member: 403, otherMember: 403, partner: "allowed", otherPartner: 404, adminBearer: 403, adminConsole: 401 }, { kind, owner: "partner" });

/**
 * A crowdfunding round, visible only to the tiers it is offered to (private placement): the matrix's round is offered
 * to channel partners (`partner`); every other member, admins' member tokens included, is told it does not exist.
 */
const ROUND_OFFEREE = rule({ anonymous: 401, member: 404, otherMember: 404, partner: "allowed", otherPartner: 404, adminBearer: 404, adminConsole: 401 }, { kind: "round", owner: "partner" });

/** Keyed `METHOD /path` exactly as /openapi.json writes the path. */
export const accessRules: Record<string, AccessRule> = {
  "GET /health": PUBLIC,

  // members
  "POST /api/auth/wechat": PUBLIC,
  "GET /api/me": MEMBER,
  "PATCH /api/me": MEMBER,
  "GET /api/me/invite": MEMBER,
  "POST /api/me/referrer": MEMBER,
  "POST /api/me/phone": MEMBER,
  "POST /api/admin/members/{id}/roles": ADMIN,
  "POST /api/admin/members/{id}/tier": ADMIN,
  "POST /api/admin/members/{id}/block": ADMIN,
  "POST /api/admin/members/{id}/unblock": ADMIN,

  // courses
  "GET /api/courses": PUBLIC,
  "GET /api/courses/{id}": PUBLIC,
  "GET /media/covers/{file}": PUBLIC,
  "GET /api/lessons/{id}/media": MEMBER,
  "POST /api/lessons/{id}/progress": MEMBER,
  "GET /api/me/courses": MEMBER,
  "GET /media/{id}": SIGNED_LINK,
  "GET /api/admin/courses": ADMIN,
  "POST /api/admin/courses": ADMIN,
  "GET /api/admin/courses/{id}": ADMIN,
  "PATCH /api/admin/courses/{id}": ADMIN,
  "POST /api/admin/courses/{id}/publish": ADMIN,
  "POST /api/admin/courses/{id}/unpublish": ADMIN,
  "POST /api/admin/courses/{id}/chapters": ADMIN,
  "PATCH /api/admin/chapters/{id}": ADMIN,
  "POST /api/admin/chapters/{id}/lessons": ADMIN,
  "PATCH /api/admin/lessons/{id}": ADMIN,
  "PUT /api/admin/courses/{id}/outline": ADMIN,
  "POST /api/admin/courses/{id}/grants": ADMIN,
  "DELETE /api/admin/courses/{id}/grants/{memberId}": ADMIN,
  "PUT /api/admin/lessons/{id}/media": ADMIN,

  // orders and pay
  "POST /api/orders": MEMBER,
  "GET /api/orders": MEMBER,
  "GET /api/orders/{id}": OWN("order"),
  "POST /api/orders/{id}/pay": OWN("order"),
  "POST /api/admin/orders/{id}/refund": ADMIN,
  "POST /api/pay/notify": WECHATPAY_SIGNED,
  "POST /api/pay/refund-notify": WECHATPAY_SIGNED,

  // payouts
  "POST /api/partner/withdrawals": PARTNER,
  "GET /api/partner/withdrawals": PARTNER,
  "GET /api/partner/withdrawals/{id}": PARTNER_OWN("withdrawal"),
  "GET /api/partner/withdrawal-overview": PARTNER,
  "POST /api/partner/payee/real-name": PARTNER,
  "GET /api/admin/withdrawals": ADMIN,
  "POST /api/admin/withdrawals/{id}/approve": ADMIN,
  "POST /api/admin/withdrawals/{id}/reject": ADMIN,
  "POST /api/pay/transfer-notify": WECHATPAY_SIGNED,
  // crowdfunding
  "GET /api/rounds": MEMBER,
  "GET /api/rounds/{id}": ROUND_OFFEREE,
  "POST /api/rounds/{id}/subscriptions": ROUND_OFFEREE,
  "GET /api/me/shares": MEMBER,
  "GET /api/admin/rounds": ADMIN,
  "POST /api/admin/rounds": ADMIN,
  "GET /api/admin/rounds/{id}": ADMIN,
  "PATCH /api/admin/rounds/{id}": ADMIN,
  "POST /api/admin/rounds/{id}/open": ADMIN,
  "POST /api/admin/rounds/{id}/close": ADMIN,
  "GET /api/admin/cap-table": ADMIN,
  "POST /api/admin/dividend-pool/allocations": ADMIN,
  "POST /api/admin/dividends": ADMIN,
  "GET /api/admin/dividends": ADMIN,
  // auctions
  "GET /api/lots": PUBLIC,
  "GET /api/lots/{id}": PUBLIC,
  "POST /api/lots/{id}/bids": MEMBER,
  // Anyone may watch; a plain GET (no upgrade) answers 426.
  "GET /api/lots/{id}/live": PUBLIC,
  "GET /lot-images/{lotId}/{imageId}": PUBLIC,
  "GET /api/me/lots": MEMBER,
  "POST /api/lots/{id}/deposit": MEMBER,
  // Only the lot's winner finds their sale; everyone else is told there is none (404).
  "POST /api/lots/{id}/purchase": MEMBER,
  // Only the lot's winner finds their sale; everyone else is told there is none (404).
  "PUT /api/lots/{id}/shipping-address": MEMBER,
  "POST /api/admin/lots": ADMIN,
  "GET /api/admin/lots": ADMIN,
  "GET /api/admin/lots/{id}": ADMIN,
  "PUT /api/admin/lots/{id}/images": ADMIN,

  // commissions and the partner center: a partner's own earnings, records, team and poster are read from the token
  // (no member id in the path), so another partner can never address them; members apply, admins decide.
  "GET /api/partner/earnings": PARTNER,
  "GET /api/partner/earnings/daily": PARTNER,
  "GET /api/partner/commissions": PARTNER,
  "GET /api/partner/team": PARTNER,
  "GET /api/partner/poster": PARTNER,
  "POST /api/partner/application": MEMBER,
  "GET /api/admin/partner-applications": ADMIN,
  "POST /api/admin/partner-applications/{id}/approve": ADMIN,
  "POST /api/admin/partner-applications/{id}/reject": ADMIN,

  // ledger and audit
  "GET /api/admin/ledger/check": ADMIN,
  "GET /api/admin/ledger/accounts/{id}": ADMIN,
  "GET /api/admin/ledger/accounts/{id}/transfers": ADMIN,
  "GET /api/admin/audit-log": ADMIN,

  // settings
  "GET /api/admin/settings": ADMIN,
  "PATCH /api/admin/settings": ADMIN,
};

/**
 * Routes that are not in /openapi.json (the console's pages and forms, the API reference, bench-only routes), keyed
 * `METHOD /path` as the app registers them (`:id`). `login` = a browser is sent to /admin/login (303).
 */
export type PageOutcome = "allowed" | "login" | 403 | 404;
export type PageCaller = "anonymous" | "memberBearer" | "adminConsole";
export type PageRule = Record<PageCaller, PageOutcome>;

const PAGE_PUBLIC: PageRule = { anonymous: "allowed", memberBearer: "allowed", adminConsole: "allowed" };
/** A console page: a session cookie or off to the login page (a bearer token is not a console login). */
const CONSOLE_PAGE: PageRule = { anonymous: "login", memberBearer: "login", adminConsole: "allowed" };
/** A console form post: a session cookie, our Origin and the session's CSRF token, else 403. */
const CONSOLE_FORM: PageRule = { anonymous: 403, memberBearer: 403, adminConsole: "allowed" };
/** Served only when the BENCH_ROUTES binding is "1" (never in tests or production). */
const BENCH_ONLY: PageRule = { anonymous: 404, memberBearer: 404, adminConsole: 404 };

export const pageAccessRules: Record<string, PageRule> = {
  "GET /openapi.json": PAGE_PUBLIC,
  "GET /docs": PAGE_PUBLIC,
  // The API reference viewer's script, served by the worker itself (no CDN).
  "GET /docs/assets/:file": PAGE_PUBLIC,
  "GET /admin/login": PAGE_PUBLIC,
  // Anyone may try to log in; the form's own checks (Origin, double-submit cookie, password, TOTP) decide.
  "POST /admin/login": PAGE_PUBLIC,
  "POST /admin/logout": CONSOLE_FORM,
  "GET /admin": CONSOLE_PAGE,
  "GET /admin/members": CONSOLE_PAGE,
  "GET /admin/members/export.csv": CONSOLE_PAGE,
  "GET /admin/members/:id": CONSOLE_PAGE,
  "POST /admin/members/:id/tier": CONSOLE_FORM,
  "POST /admin/members/:id/block": CONSOLE_FORM,
  "POST /admin/members/:id/unblock": CONSOLE_FORM,
  "GET /admin/commissions": CONSOLE_PAGE,
  "POST /admin/commissions": CONSOLE_FORM,
  "GET /admin/commissions/records": CONSOLE_PAGE,
  "GET /admin/commissions/records/export.csv": CONSOLE_PAGE,
  "GET /admin/partner-applications": CONSOLE_PAGE,
  "POST /admin/partner-applications/:id/decide": CONSOLE_FORM,
  "GET /admin/settings": CONSOLE_PAGE,
  "POST /admin/settings": CONSOLE_FORM,
  "GET /admin/audit": CONSOLE_PAGE,
  "GET /admin/courses": CONSOLE_PAGE,
  "GET /admin/courses/new": CONSOLE_PAGE,
  "POST /admin/courses": CONSOLE_FORM,
  "GET /admin/courses/:id": CONSOLE_PAGE,
  "POST /admin/courses/:id": CONSOLE_FORM,
  "POST /admin/courses/:id/cover": CONSOLE_FORM,
  "POST /admin/courses/:id/publish": CONSOLE_FORM,
  "POST /admin/courses/:id/unpublish": CONSOLE_FORM,
  "POST /admin/courses/:id/chapters": CONSOLE_FORM,
  "POST /admin/courses/:id/move": CONSOLE_FORM,
  "POST /admin/chapters/:id": CONSOLE_FORM,
  "POST /admin/chapters/:id/lessons": CONSOLE_FORM,
  "GET /admin/lessons/:id": CONSOLE_PAGE,
  "POST /admin/lessons/:id": CONSOLE_FORM,
  "POST /admin/lessons/:id/media": CONSOLE_FORM,
  "GET /admin/orders": CONSOLE_PAGE,
  "GET /admin/orders/export.csv": CONSOLE_PAGE,
  "GET /admin/orders/:id": CONSOLE_PAGE,
  "POST /admin/orders/:id/refund": CONSOLE_FORM,
  "GET /admin/refunds": CONSOLE_PAGE,
  "GET /admin/payouts": CONSOLE_PAGE,
  "GET /admin/payouts/export.csv": CONSOLE_PAGE,
  "GET /admin/payouts/:id": CONSOLE_PAGE,
  "POST /admin/payouts/:id/approve": CONSOLE_FORM,
  "POST /admin/payouts/:id/reject": CONSOLE_FORM,
  "GET /admin/rounds": CONSOLE_PAGE,
  "POST /admin/rounds": CONSOLE_FORM,
  "GET /admin/rounds/:id": CONSOLE_PAGE,
  "POST /admin/rounds/:id": CONSOLE_FORM,
  "POST /admin/rounds/:id/open": CONSOLE_FORM,
  "POST /admin/rounds/:id/close": CONSOLE_FORM,
  "GET /admin/cap-table": CONSOLE_PAGE,
  "GET /admin/cap-table.csv": CONSOLE_PAGE,
  "GET /admin/dividends": CONSOLE_PAGE,
  "POST /admin/dividends/allocate": CONSOLE_FORM,
  "POST /admin/dividends/declare": CONSOLE_FORM,
  "POST /admin/orders/:id/refunds/:refundId/apply-abnormal": CONSOLE_FORM,
  "GET /admin/lots": CONSOLE_PAGE,
  "GET /admin/lots/new": CONSOLE_PAGE,
  "POST /admin/lots": CONSOLE_FORM,
  "GET /admin/lots/sales/:view": CONSOLE_PAGE,
  "GET /admin/lots/:id": CONSOLE_PAGE,
  "POST /admin/lots/:id/shipment": CONSOLE_FORM,
  "GET /bench/trivial": BENCH_ONLY,
  "GET /bench/select": BENCH_ONLY,
  "POST /bench/insert": BENCH_ONLY,
  "POST /bench/ledger/transfer": BENCH_ONLY,
  "GET /bench/ledger/balance": BENCH_ONLY,
  "GET /bench/ledger/history": BENCH_ONLY,
  "GET /bench/ledger/check": BENCH_ONLY,
};
