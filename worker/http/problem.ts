import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { z } from "@hono/zod-openapi";

/**
 * One error model for the whole API: RFC 9457 problem details.
 * `type` is a stable relative URI per failure kind (`/problems/<code>`); clients switch on it,
 * never on `title` or `detail`, which are for people.
 */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: "/problems/validation-failed" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi("Problem");

export type Problem = z.infer<typeof ProblemSchema>;
export type FieldError = { path: string; message: string };

const TITLES: Record<string, string> = {
  "bad-request": "Bad request",
  "validation-failed": "Validation failed",
  unauthorized: "Authentication required",
  forbidden: "Forbidden",
  "not-found": "Not found",
  conflict: "Conflict",
  "idempotency-key-reused": "Idempotency key reused with a different request",
  "rate-limited": "Too many requests",
  "upstream-error": "Upstream service error",
  internal: "Internal error",
};

export class ApiError extends Error {
  /** A refusal that a retry may cure (a concurrent change): an Idempotency-Key does not keep it. */
  retryable = false;

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly title = TITLES[code] ?? code,
  ) {
    super(detail ?? TITLES[code] ?? code);
  }

  static badRequest(detail: string, errors?: FieldError[]) {
    return new ApiError(400, "bad-request", detail, errors);
  }
  static validation(errors: FieldError[], detail = "The request did not match the schema.") {
    return new ApiError(422, "validation-failed", detail, errors);
  }
  static unauthorized(detail = "A valid bearer token is required.") {
    return new ApiError(401, "unauthorized", detail);
  }
  static forbidden(detail = "Your role does not allow this.") {
    return new ApiError(403, "forbidden", detail);
  }
  static notFound(detail = "Not found.") {
    return new ApiError(404, "not-found", detail);
  }
  static conflict(code: string, detail: string) {
    return new ApiError(409, code, detail, undefined, TITLES[code] ?? "Conflict");
  }
  /** A 409 from a concurrent change ("reload and try again"): not final, so a retry with the same key runs again. */
  static tryAgain(code: string, detail: string) {
    const error = ApiError.conflict(code, detail);
    error.retryable = true;
    return error;
  }
}

export function problemResponse(c: Context, err: ApiError): Response {
  const body: Problem = {
    type: `/problems/${err.code}`,
    title: err.title,
    status: err.status,
    detail: err.message,
    instance: new URL(c.req.url).pathname,
    requestId: c.get("requestId"),
    ...(err.errors ? { errors: err.errors } : {}),
  };
  return new Response(JSON.stringify(body), {
    status: err.status,
    headers: { "content-type": "application/problem+json; charset=utf-8" },
  });
}

/** Maps any thrown value to a problem; unknown errors are logged and answered as an opaque 500. */
export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof HTTPException) {
    return new ApiError(err.status as ContentfulStatusCode, err.status === 400 ? "bad-request" : "internal", err.message);
  }
  return new ApiError(500, "internal", "Something went wrong on our side; the request changed nothing.");
}

/** Documented error responses, spread into every route spec. */
export function problemResponses(...statuses: number[]) {
  const out: Record<number, { description: string; content: { "application/problem+json": { schema: typeof ProblemSchema } } }> = {};
  for (const s of statuses) {
    out[s] = { description: TITLES[codeFor(s)] ?? "Problem", content: { "application/problem+json": { schema: ProblemSchema } } };
  }
  return out;
}

function codeFor(status: number) {
  return ({ 400: "bad-request", 401: "unauthorized", 403: "forbidden", 404: "not-found", 409: "conflict", 422: "validation-failed", 429: "rate-limited", 502: "upstream-error" } as Record<number, string>)[status] ?? "internal";
}
