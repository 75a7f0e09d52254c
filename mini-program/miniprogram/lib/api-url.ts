import { API_BASE_URL } from "../config";

/**
 * A URL the worker returned, usable in <image src>: a path on the worker (an uploaded course cover is
 * `/media/covers/<sha256>.<ext>`) is resolved against the worker's base URL; absolute URLs and "" stay as they are.
 */
export function apiUrl(url: string, base = API_BASE_URL): string {
  return url.startsWith("/") ? `${base.replace(/\/$/, "")}${url}` : url;
}
