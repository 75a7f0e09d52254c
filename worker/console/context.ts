import type { Hono } from "hono";
import type { AppEnv } from "../http/context";
import type { NavEntry } from "./layout";
import type { ConsoleSession } from "./session";

/** What every console page sees: the worker's bindings and variables plus the logged-in console session. */
export type ConsoleEnv = { Bindings: AppEnv["Bindings"]; Variables: AppEnv["Variables"] & { session: ConsoleSession } };

/**
 * A domain's pages in the console, mounted by the shell (worker/console/routes.tsx) from the list in
 * worker/console/pages.ts. The shell has already checked the session, the Origin and the CSRF token.
 * `uploads`: paths that take a file, with their own body limit (other console forms get 8 KiB).
 */
export type ConsolePages = {
  nav: NavEntry;
  routes: Hono<ConsoleEnv>;
  uploads?: { path: RegExp; maxBytes(env: Env): number };
};
