import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { ZodError } from "zod";
import type { AppEnv } from "./context";
import { ApiError, toApiError } from "./problem";

export function zodIssues(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message }));
}

/** An OpenAPI response (or a route's 2xx) carrying `schema` as JSON. */
export const json = <T>(schema: T, description: string) => ({ description, content: { "application/json": { schema } } });

/** An OpenAPI request body: required, JSON, validated by `schema` before the handler runs. */
export const jsonBody = <T>(schema: T) => ({ required: true, content: { "application/json": { schema } } });

/**
 * Every module builds its sub-app with this, so a request that fails its zod schema — body, query,
 * params or headers — becomes the same 422 problem before any handler (and so any write) runs.
 */
export function createRouter() {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw ApiError.validation(zodIssues(result.error as ZodError));
    },
  });
}

/**
 * For a route whose refusal must come before any input error (a 404 that must not tell a caller a thing exists, a
 * 403 by tier): on valid input the route's own batch decides the refusal with its operation, costing no round trip;
 * only when the input is rejected (400, 415, 422 — from the validators or the handler) does this middleware run
 * `refuse`, which throws the refusal in place of the input error. So bad input tells a refused caller nothing more,
 * and a well-formed request pays for no separate check.
 */
export const refuseBeforeInputErrors = (refuse: (c: Context<AppEnv>) => Promise<void>) =>
  createMiddleware<AppEnv>(async (c, next) => {
    await next();
    if (c.error && [400, 415, 422].includes(toApiError(c.error).status)) await refuse(c);
  });
