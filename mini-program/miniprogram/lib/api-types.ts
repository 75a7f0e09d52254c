/**
 * Request and response types read off the generated OpenAPI types (typings/api.d.ts), so a page names a
 * route by its documented path (`/api/courses/{id}`) and gets its parameters and JSON shapes checked.
 */
import type { paths } from "../../typings/api";

export type Paths = paths;
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete";

/** Paths that document method M. openapi-typescript marks undocumented methods `M?: never`. */
export type PathsWith<M extends HttpMethod> = {
  [P in keyof Paths]: Paths[P] extends { [K in M]: infer O } ? ([O] extends [never] ? never : O extends object ? P : never) : never;
}[keyof Paths];

export type Operation<P extends keyof Paths, M extends HttpMethod> = Paths[P] extends { [K in M]: infer O } ? O : never;

type JsonOf<R> = R extends { content: { "application/json": infer B } } ? B : R extends { content?: never } ? void : unknown;

export type PathParams<O> = O extends { parameters: { path: infer P } } ? ([P] extends [never] ? never : P) : never;
export type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? ([Q] extends [never] ? never : Q) : never;
export type JsonBody<O> = O extends { requestBody?: never }
  ? never
  : O extends { requestBody: { content: { "application/json": infer B } } }
  ? B
  : O extends { requestBody?: { content: { "application/json": infer B } } }
    ? B
    : never;

/** The JSON of the first documented 2xx response. */
export type SuccessBody<O> = O extends { responses: infer R }
  ? 200 extends keyof R
    ? JsonOf<R[200]>
    : 201 extends keyof R
      ? JsonOf<R[201]>
      : 204 extends keyof R
        ? void
        : unknown
  : unknown;

export type CallOptions = {
  /**
   * Generate an Idempotency-Key for this call, reused by every retry of it, which makes a POST safe to
   * retry. Pass a string to share one key across calls of the same logical action.
   */
  idempotent?: boolean | string;
  /** Skip attaching the token and renewing the login on 401 (the login call itself). */
  anonymous?: boolean;
};

type Part<K extends string, T, Required extends boolean> = [T] extends [never]
  ? { [k in K]?: undefined }
  : Required extends true
    ? { [k in K]: T }
    : { [k in K]?: T };

export type RequestOptions<O> = Part<"path", PathParams<O>, true> &
  Part<"query", QueryParams<O>, false> &
  Part<"body", JsonBody<O>, true> &
  CallOptions;

/** The options argument may be left out only when nothing in it is required. */
export type OptionsArg<O> = {} extends RequestOptions<O> ? [options?: RequestOptions<O>] : [options: RequestOptions<O>];

/** Shorthands for pages: the JSON a route answers. */
export type ResponseOf<P extends keyof Paths, M extends HttpMethod = "get"> = SuccessBody<Operation<P, M>>;
