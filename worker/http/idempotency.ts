import { z } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";
import { ApiError } from "./problem";
import { sha256Hex } from "./encoding";
import { memberBlocked } from "./authority";

/** Stripe keeps keys for 24 hours: https://docs.stripe.com/api/idempotent_requests */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A key still "in progress" after this long belongs to a request that died; a retry may take it over. */
export const IDEMPOTENCY_LOCK_MS = 60 * 1000;
const KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

/** Spread into a route's `request.headers` so /openapi.json documents the header. */
export const IdempotencyKeyHeader = z.object({
  "idempotency-key": z
    .string()
    .regex(KEY_PATTERN)
    .optional()
    .openapi({ description: "Retry-safe key (e.g. a UUID): the same key with the same body answers the first response again" }),
});

/**
 * Only final outcomes are kept. Failures that happened before the operation began, or that a retry may cure
 * (429, 5xx, a 409 raised as `ApiError.tryAgain`), release the key, as Stripe does.
 */
function worthKeeping(status: number, error: unknown) {
  if (error instanceof ApiError && error.retryable) return false;
  return status < 500 && status !== 400 && status !== 422 && status !== 429;
}

/**
 * `Idempotency-Key` for state-changing POSTs of a known caller. Put it on a route after its auth middleware, so
 * the key is scoped to the caller: `middleware: [requireMember, idempotency] as const`. Never on login: the
 * stored answer would be a token.
 * - same key, same request → the first response again (status and body), with `Idempotent-Replayed: true`;
 * - same key, different request → 409 `idempotency-key-reused`;
 * - same key while the first request is still running → 409 `idempotency-key-in-progress`.
 */
export const idempotency = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return next();
  if (!KEY_PATTERN.test(key)) throw ApiError.badRequest("Idempotency-Key must be 1–255 visible ASCII characters.");

  // Keys are scoped to the caller. An anonymous scope would be shared by everyone (one caller's key refusing
  // or answering another's), so the middleware only runs behind an auth middleware.
  const scope = c.get("identity")?.memberId ?? c.get("principal")?.memberId;
  if (!scope) throw new Error("idempotency must run after an auth middleware (it scopes keys to the caller)");
  const url = new URL(c.req.url);
  const fingerprint = await sha256Hex(`${c.req.method} ${url.pathname}${url.search}\n${await c.req.text()}`);
  const now = Date.now();
  const db = c.env.DB;

  // Claim the key in one statement: a new key, or one that expired, or an abandoned claim on the same request.
  const claim = await db
    .prepare(
      `INSERT INTO idempotency_keys (scope, key, fingerprint, state, locked_at, expires_at) VALUES (?1, ?2, ?3, 'in_progress', ?4, ?5)
       ON CONFLICT (scope, key) DO UPDATE SET fingerprint = excluded.fingerprint, state = 'in_progress', response_status = NULL,
         response_body = NULL, response_content_type = NULL, locked_at = excluded.locked_at, expires_at = excluded.expires_at
       WHERE idempotency_keys.expires_at <= ?4
          OR (idempotency_keys.state = 'in_progress' AND idempotency_keys.locked_at <= ?6 AND idempotency_keys.fingerprint = ?3)`,
    )
    .bind(scope, key, fingerprint, now, now + IDEMPOTENCY_TTL_MS, now - IDEMPOTENCY_LOCK_MS)
    .run();

  if (claim.meta.changes !== 1) {
    // A replay skips the handler, and with it the handler's authority check: a blocked caller gets nothing back.
    const stored = await db
      .prepare(
        `SELECT fingerprint, state, response_status, response_body, response_content_type,
           (SELECT blocked_at FROM members WHERE id = ?1) AS blocked_at
         FROM idempotency_keys WHERE scope = ?1 AND key = ?2`,
      )
      .bind(scope, key)
      .first<{ fingerprint: string; state: string; response_status: number; response_body: string; response_content_type: string | null; blocked_at: number | null }>();
    if (stored?.blocked_at) throw memberBlocked();
    if (!stored) throw ApiError.conflict("idempotency-key-in-progress", "This Idempotency-Key was just released; retry.");
    if (stored.fingerprint !== fingerprint) {
      throw ApiError.conflict("idempotency-key-reused", "This Idempotency-Key was already used for a different request.");
    }
    if (stored.state !== "done") {
      throw new ApiError(409, "idempotency-key-in-progress", "A request with this Idempotency-Key is still being processed; retry later.", undefined, "Idempotency key in progress");
    }
    return new Response(stored.response_body, {
      status: stored.response_status,
      headers: { "content-type": stored.response_content_type ?? "application/json", "idempotent-replayed": "true" },
    });
  }

  await next();

  const res = c.res;
  if (worthKeeping(res.status, c.error)) {
    const body = await res.clone().text();
    await db
      .prepare("UPDATE idempotency_keys SET state = 'done', response_status = ?, response_body = ?, response_content_type = ? WHERE scope = ? AND key = ?")
      .bind(res.status, body, res.headers.get("content-type"), scope, key)
      .run();
  } else {
    await db.prepare("DELETE FROM idempotency_keys WHERE scope = ? AND key = ? AND state = 'in_progress'").bind(scope, key).run();
  }
});

/** Deletes expired keys in bounded chunks; called from the scheduled handler. */
export async function purgeExpiredIdempotencyKeys(db: D1Database, now = Date.now(), limit = 1000) {
  const res = await db
    .prepare("DELETE FROM idempotency_keys WHERE rowid IN (SELECT rowid FROM idempotency_keys WHERE expires_at <= ? LIMIT ?)")
    .bind(now, limit)
    .run();
  return res.meta.changes;
}
