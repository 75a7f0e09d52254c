import { createMiddleware } from "hono/factory";
import { drizzle } from "drizzle-orm/d1";
import * as schema from "../../schema";
import type { AppEnv } from "./context";
import { createLogger } from "./log";

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Request id (honours a well-formed incoming X-Request-Id), a logger bound to it, and one access-log line. */
export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
  const log = createLogger({ requestId }, c.env.LOG_LEVEL);
  c.set("requestId", requestId);
  c.set("log", log);
  const started = Date.now();
  await next();
  c.header("X-Request-Id", requestId);
  log.info("request", {
    method: c.req.method,
    path: new URL(c.req.url).pathname,
    status: c.res.status,
    ms: Date.now() - started,
  });
});

/** drizzle on `c.var.db`, snake_case columns as in schema/. */
export const database = createMiddleware<AppEnv>(async (c, next) => {
  c.set("db", createDb(c.env.DB));
  await next();
});

export function createDb(d1: D1Database) {
  return drizzle(d1, { schema, casing: "snake_case" });
}
