import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * The cached WeChat access token per app (from /cgi-bin/stable_token). Shared by every isolate through D1 so the
 * app stays far below WeChat's token quota; refreshed a few minutes before it expires.
 */
export const wechatAccessTokens = sqliteTable("wechat_access_tokens", {
  appid: text().primaryKey(),
  accessToken: text().notNull(),
  expiresAt: integer({ mode: "timestamp_ms" }).notNull(),
  fetchedAt: integer({ mode: "timestamp_ms" }).notNull(),
});
