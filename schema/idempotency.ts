import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Idempotency-Key records (Stripe's semantics): the first response to a (caller, key) is kept for 24 hours and
 * replayed to retries with the same request; the fingerprint catches a key reused for a different request.
 */
export const idempotencyKeys = sqliteTable(
  "idempotency_keys",
  {
    /** The caller: a member id, or "anonymous" for routes open to anyone. */
    scope: text().notNull(),
    key: text().notNull(),
    /** SHA-256 of method, path and body. */
    fingerprint: text().notNull(),
    state: text({ enum: ["in_progress", "done"] }).notNull(),
    responseStatus: integer(),
    responseBody: text(),
    responseContentType: text(),
    lockedAt: integer({ mode: "timestamp_ms" }).notNull(),
    expiresAt: integer({ mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key] }), index("idempotency_keys_expires_idx").on(t.expiresAt)],
);
