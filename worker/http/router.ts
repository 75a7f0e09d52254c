import { OpenAPIHono } from "@hono/zod-openapi";
import type { ZodError } from "zod";
import type { AppEnv } from "./context";
import { ApiError } from "./problem";

export function zodIssues(error: ZodError) {
  return error.issues.map((i) => ({ path: i.path.join(".") || "(root)", message: i.message }));
}

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
