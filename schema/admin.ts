import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/** A person who may use the admin console. Created by `npm run admin:create`; optionally linked to a member. */
export const adminUsers = sqliteTable("admin_users", {
  id: text().primaryKey(),
  username: text().notNull().unique(),
  /** `pbkdf2-sha256$<iterations>$<salt b64>$<hash b64>`: the iterations travel with the hash. */
  passwordHash: text().notNull(),
  /** Base32 TOTP secret (RFC 6238, SHA-1, 6 digits, 30 s). */
  totpSecret: text().notNull(),
  /** The last TOTP time step accepted, so a code cannot be replayed. */
  totpLastStep: integer().notNull().default(0),
  memberId: text(),
  /** Attempts since the last success or lock: failed ones and those still being checked (claimed first). */
  failedAttempts: integer().notNull().default(0),
  lockedUntil: integer({ mode: "timestamp_ms" }),
  disabled: integer({ mode: "boolean" }).notNull().default(false),
  lastLoginAt: integer({ mode: "timestamp_ms" }),
  createdAt: integer({ mode: "timestamp_ms" }).notNull(),
});

/** Console sessions. Only the SHA-256 of the cookie's token is stored, so a leaked table opens no session. */
export const adminSessions = sqliteTable(
  "admin_sessions",
  {
    tokenHash: text().primaryKey(),
    adminId: text().notNull(),
    createdAt: integer({ mode: "timestamp_ms" }).notNull(),
    expiresAt: integer({ mode: "timestamp_ms" }).notNull(),
    userAgent: text().notNull().default(""),
  },
  (t) => [index("admin_sessions_admin_idx").on(t.adminId)],
);
