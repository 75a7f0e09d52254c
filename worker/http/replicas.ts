import { z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";
import { ApiError } from "./problem";
import { zodIssues } from "./router";

/**
 * D1 read replication (https://developers.cloudflare.com/d1/best-practices/read-replication/), decided here for
 * every route so no handler knows about it: each member-facing request runs in a D1 session (`withSession`).
 * - A member-facing READ route (the list below) starts from the bookmark the client sends in `X-D1-Bookmark`, or
 *   from "first-unconstrained" without one: D1 may answer from a replica, but never from one older than the
 *   bookmark, so a member always reads their own writes.
 * - Every other member-facing route writes, and money operations are among them: it starts "first-primary".
 * - Every member response carries the session's latest bookmark in `X-D1-Bookmark`; the mini-program sends it back.
 * Admin routes, the console, WeChat's notifications and the scheduled jobs use the binding as it is (the primary).
 */
export const BOOKMARK_HEADER = "X-D1-Bookmark";

/** Member-facing GET routes that only read D1. A GET missing from here (one that writes, like the poster) uses the primary. */
const REPLICA_READS: readonly RegExp[] = [
  /^\/api\/me$/,
  /^\/api\/me\/(invite|courses|shares|lots)$/,
  /^\/api\/courses(\/[^/]+)?$/,
  /^\/api\/lessons\/[^/]+\/media$/,
  /^\/api\/orders(\/[^/]+)?$/,
  /^\/api\/partner\/(earnings|earnings\/daily|commissions|team|withdrawals|withdrawal-overview)$/,
  /^\/api\/partner\/withdrawals\/[^/]+$/,
  /^\/api\/rounds(\/[^/]+)?$/,
  /^\/api\/lots(\/[^/]+)?$/,
];

/** Member-facing: the mini-program's API, not the admin API, WeChat's notifications or the live socket. */
const isMemberFacing = (path: string) => path.startsWith("/api/") && !/^\/api\/(admin|pay)\//.test(path) && !/^\/api\/lots\/[^/]+\/live$/.test(path);

export const isReplicaRead = (method: string, path: string) => (method === "GET" || method === "HEAD") && REPLICA_READS.some((r) => r.test(path));

/** A bookmark as D1 issues them (hex groups joined by dashes); anything else is refused before it reaches D1. */
const Bookmark = z
  .string()
  .regex(/^[0-9a-f]{8}(-[0-9a-f]{8}){2}-[0-9a-f]{32}$/i, "不是有效的数据版本标记 (not a D1 bookmark)")
  .openapi({ description: "The latest `X-D1-Bookmark` this client received: the read sees at least that version of the data." });

const BOOKMARK_RESPONSE_HEADER = {
  description: "The D1 session's latest bookmark: send it back in X-D1-Bookmark so the next read sees at least this version.",
  schema: { type: "string" as const },
};

export const BookmarkHeader = z.object({ "x-d1-bookmark": Bookmark.optional() });

export const d1Session = createMiddleware<AppEnv>(async (c, next) => {
  const path = new URL(c.req.url).pathname;
  if (!isMemberFacing(path)) return next();
  let constraint: string = "first-primary";
  if (isReplicaRead(c.req.method, path)) {
    const parsed = BookmarkHeader.safeParse({ "x-d1-bookmark": c.req.header(BOOKMARK_HEADER) });
    if (!parsed.success) throw ApiError.badRequest("X-D1-Bookmark is not a bookmark this API issued.", zodIssues(parsed.error));
    constraint = parsed.data["x-d1-bookmark"] ?? "first-unconstrained";
  }
  const session = c.env.DB.withSession(constraint);
  // A per-request copy of the bindings (the shared env object is never changed); the session serves the whole request.
  c.env = { ...c.env, DB: session as unknown as D1Database };
  await next();
  const bookmark = session.getBookmark();
  if (bookmark) c.res.headers.set(BOOKMARK_HEADER, bookmark);
});

/**
 * Documents the header on every member-facing route of the OpenAPI document (so the mini-program's typings know it):
 * accepted by the read routes, answered by all of them. Called once, after every route is registered.
 */
export function documentBookmarks(app: OpenAPIHono<AppEnv>) {
  for (const def of app.openAPIRegistry.definitions) {
    if (def.type !== "route") continue;
    const route = def.route;
    const path = route.path.replace(/\{[^}]+\}/g, "x");
    if (!isMemberFacing(path)) continue;
    if (isReplicaRead(route.method.toUpperCase(), path)) {
      const headers = route.request?.headers;
      if (headers && !(headers instanceof z.ZodObject)) continue;
      route.request = { ...route.request, headers: headers ? headers.extend(BookmarkHeader.shape) : BookmarkHeader };
    }
    // New response objects: a module may share one response object between several routes.
    route.responses = Object.fromEntries(
      Object.entries(route.responses).map(([status, response]) => {
        if ("$ref" in response) return [status, response];
        const headers = response.headers && !(response.headers instanceof z.ZodType) ? response.headers : {};
        return [status, { ...response, headers: { ...headers, [BOOKMARK_HEADER]: BOOKMARK_RESPONSE_HEADER } }];
      }),
    );
  }
}
