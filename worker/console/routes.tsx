import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import type { Context } from "hono";
import { z } from "zod";
import type { ConsoleEnv } from "./context";
import { dashboardCounts } from "./dashboard";
import { DashboardPage } from "./dashboard-page";
import { ApiError } from "../http/problem";
import { forbiddenPage, notFoundPage, problemPage, serverErrorPage } from "./error-pages";
import { formEntries } from "./form";
import { setNav } from "./layout";
import { attemptLogin, logout } from "./login";
import { LOGIN_FAILED, LoginPage } from "./login-page";
import { consolePages } from "./pages";
import {
  clearedCookie,
  isSameOrigin,
  loadSession,
  LOGIN_CSRF_COOKIE,
  newSessionToken,
  readCookie,
  SESSION_COOKIE,
  sessionCookie,
  tokensEqual,
} from "./session";

type Ctx = Context<ConsoleEnv>;

const LoginForm = z.object({
  username: z.string().trim().toLowerCase().min(1).max(32),
  password: z.string().min(1).max(256),
  code: z.string().trim().regex(/^\d{6}$/),
  _csrf: z.string().min(1).max(100),
});

/** Pages are never cached, never framed, and load nothing from elsewhere. */
function secure(c: Ctx) {
  c.header("Cache-Control", "no-store");
  c.header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
  c.header("X-Frame-Options", "DENY");
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
}

function forbidden(c: Ctx, detail: string) {
  return forbiddenPage(c, detail);
}

/** Login runs before a session exists, so its form is protected by a double-submit cookie plus the Origin check. */
function renderLogin(c: Ctx, status: 200 | 400 | 401 | 403, props: { error?: string; notice?: string; username?: string } = {}) {
  const token = newSessionToken();
  c.header("Set-Cookie", `${LOGIN_CSRF_COOKIE}=${token}; Path=/; Max-Age=1800; HttpOnly; Secure; SameSite=Strict`, { append: true });
  return c.html(<LoginPage csrfToken={token} {...props} />, status);
}

export const consoleRoutes = new Hono<ConsoleEnv>();

setNav([{ key: "dashboard", label: "概览", path: "/admin" }, ...consolePages.map((p) => p.nav)]);

consoleRoutes.use("*", async (c, next) => {
  await next();
  secure(c);
});

// Console forms are a few fields; a bigger body is refused before it is read. Uploads get their module's limit.
const tooLarge = (c: Ctx) => c.text("413 · 请求过大。", 413);
const formLimit = bodyLimit({ maxSize: 8 * 1024, onError: tooLarge });
const uploads = consolePages.flatMap((p) => (p.uploads ? [p.uploads] : []));
consoleRoutes.use("*", (c, next) => {
  const upload = uploads.find((u) => u.path.test(c.req.path));
  return upload ? bodyLimit({ maxSize: upload.maxBytes(c.env), onError: tooLarge })(c, next) : formLimit(c, next);
});

consoleRoutes.get("/login", async (c) => {
  const session = await loadSession(c.env.DB, readCookie(c.req.header("cookie"), SESSION_COOKIE));
  if (session) return c.redirect("/admin", 303);
  return renderLogin(c, 200, c.req.query("bye") !== undefined ? { notice: "已退出登录。" } : {});
});

consoleRoutes.post("/login", async (c) => {
  if (!isSameOrigin(c.req.raw)) return forbidden(c, "跨站请求已拒绝。");
  const parsed = LoginForm.safeParse(Object.fromEntries(await formEntries(c)));
  if (!parsed.success) return renderLogin(c, 400, { error: LOGIN_FAILED });
  const form = parsed.data;
  if (!tokensEqual(readCookie(c.req.header("cookie"), LOGIN_CSRF_COOKIE), form._csrf)) {
    return renderLogin(c, 403, { error: "页面已过期，请重新登录。", username: form.username });
  }
  const result = await attemptLogin(c.env.DB, form, { requestId: c.var.requestId, userAgent: c.req.header("user-agent") });
  if (!result.ok) {
    c.var.log.warn("admin login failed", { reason: result.reason });
    return renderLogin(c, 401, { error: LOGIN_FAILED, username: form.username });
  }
  c.header("Set-Cookie", sessionCookie(result.token), { append: true });
  c.header("Set-Cookie", clearedCookie(LOGIN_CSRF_COOKIE), { append: true });
  return c.redirect("/admin", 303);
});

/** Everything below needs a live session; state changes also need the session's CSRF token and our Origin. */
consoleRoutes.use("*", async (c, next) => {
  const session = await loadSession(c.env.DB, readCookie(c.req.header("cookie"), SESSION_COOKIE));
  if (!session) {
    if (c.req.method === "GET") {
      c.header("Set-Cookie", clearedCookie(SESSION_COOKIE));
      return c.redirect("/admin/login", 303);
    }
    return forbidden(c, "登录已失效，请重新登录。");
  }
  if (c.req.method !== "GET" && c.req.method !== "HEAD") {
    if (!isSameOrigin(c.req.raw)) return forbidden(c, "跨站请求已拒绝。");
    const sent = (await formEntries(c)).get("_csrf");
    if (!tokensEqual(typeof sent === "string" ? sent : undefined, session.csrfToken)) return forbidden(c, "CSRF 校验失败，请刷新页面后重试。");
  }
  c.set("session", session);
  await next();
});

consoleRoutes.post("/logout", async (c) => {
  const s = c.var.session;
  const cleared = await logout(c.env.DB, { tokenHash: s.tokenHash, adminId: s.admin.id, requestId: c.var.requestId });
  c.header("Set-Cookie", cleared);
  return c.redirect("/admin/login?bye", 303);
});

consoleRoutes.get("/", async (c) => c.html(<DashboardPage session={c.var.session} counts={await dashboardCounts(c.var.db, c.env.DB)} />));

for (const pages of consolePages) consoleRoutes.route("/", pages.routes);

// Last: any other console address is a 404 inside the console's frame (after the session check, so a
// stranger probing paths still lands on the login page).
consoleRoutes.all("*", (c) => notFoundPage(c));

consoleRoutes.onError((err, c) => {
  secure(c);
  if (err instanceof ApiError) return problemPage(c, err);
  c.var.log?.error("console page failed", { error: String(err), stack: (err as Error)?.stack, path: c.req.path });
  return serverErrorPage(c);
});
