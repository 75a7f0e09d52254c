import type { HttpMethod, Operation, OptionsArg, Paths, PathsWith, RequestOptions, SuccessBody } from "./api-types";
import { newIdempotencyKey } from "./idempotency";
import { RequestError } from "./problems";
import { backoffMs, shouldRetry } from "./retry";

export type HttpRequest = { method: string; url: string; headers: Record<string, string>; body?: unknown };
/** `headers` as the transport got them (any case); a transport that cannot see them leaves it out. */
export type HttpResponse = { status: number; body: unknown; headers?: Record<string, string> };
/** Sends one request. Resolves with any HTTP answer; rejects only when no answer came (network, timeout). */
export type Transport = (request: HttpRequest) => Promise<HttpResponse>;

/** What the client needs from the login session. */
export interface Credentials {
  /** Waits for a login already in flight (never rejects), so a request goes out with the newest token. */
  settled(): Promise<void>;
  token(): string | null;
  /**
   * Logs in again after a 401 (wx.login → POST /api/auth/wechat), unless the refused token has already
   * been replaced by another request's renewal.
   */
  renew(refused: string | null): Promise<void>;
}

export type ClientOptions = {
  baseUrl: string;
  transport: Transport;
  credentials?: Credentials;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  newKey?: () => string;
  /** Where the latest D1 bookmark is kept between launches (see `BOOKMARK_HEADER`); in memory without one. */
  bookmarks?: BookmarkStore;
};

/**
 * The worker answers every member request with `X-D1-Bookmark`, the version of the data its D1 session reached, and
 * serves reads from a replica at least that new when the bookmark is sent back. Sending the newest one we hold makes
 * the member always read their own writes (a withdrawal just requested shows in the list at once).
 */
export const BOOKMARK_HEADER = "X-D1-Bookmark";
export interface BookmarkStore {
  load(): string | null;
  save(bookmark: string): void;
}

/** Bookmarks are fixed-width hex versions, so the newer one is the greater string. */
const BOOKMARK = /^[0-9a-f]{8}(-[0-9a-f]{8}){2}-[0-9a-f]{32}$/i;

export function newerBookmark(held: string | null, answered: string | undefined): string | null {
  if (!answered || !BOOKMARK.test(answered)) return held;
  return held && held >= answered ? held : answered;
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | undefined {
  if (!headers) return undefined;
  const wanted = name.toLowerCase();
  for (const key of Object.keys(headers)) if (key.toLowerCase() === wanted) return headers[key];
  return undefined;
}

type AnyOptions = { path?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown } & RequestOptions<never>;

/**
 * The one way the mini-program talks to the worker: typed by the worker's OpenAPI document, carrying the
 * JWT, renewing the login once on 401, retrying only what is safe to repeat, and rejecting with a
 * RequestError whose message is readable Chinese.
 */
export class ApiClient {
  private readonly sleep: (ms: number) => Promise<void>;
  private bookmark: string | null;

  constructor(private readonly options: ClientOptions) {
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.bookmark = newerBookmark(null, options.bookmarks?.load() ?? undefined);
  }

  /** The newest D1 bookmark received, sent with every request. */
  latestBookmark(): string | null {
    return this.bookmark;
  }

  private keepBookmark(response: HttpResponse) {
    const newer = newerBookmark(this.bookmark, headerOf(response.headers, BOOKMARK_HEADER));
    if (newer === this.bookmark) return;
    this.bookmark = newer;
    if (newer) this.options.bookmarks?.save(newer);
  }

  get<P extends PathsWith<"get">>(path: P, ...args: OptionsArg<Operation<P, "get">>): Promise<SuccessBody<Operation<P, "get">>> {
    return this.call("get", path, args[0] as AnyOptions | undefined) as Promise<SuccessBody<Operation<P, "get">>>;
  }

  post<P extends PathsWith<"post">>(path: P, ...args: OptionsArg<Operation<P, "post">>): Promise<SuccessBody<Operation<P, "post">>> {
    return this.call("post", path, args[0] as AnyOptions | undefined) as Promise<SuccessBody<Operation<P, "post">>>;
  }

  patch<P extends PathsWith<"patch">>(path: P, ...args: OptionsArg<Operation<P, "patch">>): Promise<SuccessBody<Operation<P, "patch">>> {
    return this.call("patch", path, args[0] as AnyOptions | undefined) as Promise<SuccessBody<Operation<P, "patch">>>;
  }

  put<P extends PathsWith<"put">>(path: P, ...args: OptionsArg<Operation<P, "put">>): Promise<SuccessBody<Operation<P, "put">>> {
    return this.call("put", path, args[0] as AnyOptions | undefined) as Promise<SuccessBody<Operation<P, "put">>>;
  }

  private async call(method: HttpMethod, template: keyof Paths & string, opts: AnyOptions = {}): Promise<unknown> {
    const url = this.options.baseUrl + buildPath(template, opts.path) + buildQuery(opts.query);
    const headers: Record<string, string> = { Accept: "application/json" };
    if (opts.body !== undefined) headers["Content-Type"] = "application/json";
    if (opts.idempotent) headers["Idempotency-Key"] = typeof opts.idempotent === "string" ? opts.idempotent : (this.options.newKey ?? newIdempotencyKey)();
    const request: HttpRequest = { method: method.toUpperCase(), url, headers, body: opts.body };
    const credentials = opts.anonymous ? undefined : this.options.credentials;

    let { response, token } = await this.sendWithRetries(request, credentials);
    // A 401 means the worker refused before doing anything, so one retry after a fresh login is safe for
    // any method. A second 401 is final.
    if (response.status === 401 && credentials) {
      await credentials.renew(token);
      ({ response } = await this.sendWithRetries(request, credentials));
    }
    if (response.status >= 200 && response.status < 300) return response.status === 204 ? undefined : response.body;
    throw RequestError.fromResponse(response.status, response.body);
  }

  private async sendWithRetries(request: HttpRequest, credentials: Credentials | undefined): Promise<{ response: HttpResponse; token: string | null }> {
    const hasIdempotencyKey = "Idempotency-Key" in request.headers;
    for (let attempt = 1; ; attempt++) {
      if (credentials) await credentials.settled();
      const token = credentials?.token() ?? null;
      const headers = { ...request.headers };
      if (token) headers.Authorization = `Bearer ${token}`;
      if (this.bookmark) headers[BOOKMARK_HEADER] = this.bookmark;
      let response: HttpResponse;
      try {
        response = await this.options.transport({ ...request, headers });
        this.keepBookmark(response);
      } catch {
        if (!shouldRetry({ method: request.method, hasIdempotencyKey, status: 0, attempt })) throw RequestError.network();
        await this.sleep(backoffMs(attempt, this.options.random));
        continue;
      }
      if (!shouldRetry({ method: request.method, hasIdempotencyKey, status: response.status, attempt })) return { response, token };
      await this.sleep(backoffMs(attempt, this.options.random));
    }
  }
}

/** `/api/courses/{id}` + `{ id: "c 1" }` → `/api/courses/c%201`. */
export function buildPath(template: string, params: Record<string, unknown> | undefined): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === null || value === "") throw new TypeError(`Missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

/** `{ limit: 20, cursor: undefined }` → `?limit=20`; undefined and null values are left out. */
export function buildQuery(query: Record<string, unknown> | undefined): string {
  if (!query) return "";
  const parts: string[] = [];
  for (const key of Object.keys(query)) {
    const value = query[key];
    if (value === undefined || value === null) continue;
    for (const v of Array.isArray(value) ? value : [value]) parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(v))}`);
  }
  return parts.length ? `?${parts.join("&")}` : "";
}
