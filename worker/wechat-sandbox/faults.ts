import { Hono, type MiddlewareHandler } from "hono";
import { controlBody, fail, type C, type PaySandboxBindings } from "./pay";

/**
 * Faults on any WeChat Pay call of the sandbox, for tests of what the product does when WeChat misbehaves. The
 * product's own client makes the call, so the production code path is what meets the fault. Control endpoint:
 *   POST /sandbox/faults {method?: "POST", path: "/v3/…", kind, times?: 1, delayMs?: 1500}
 *     kind "http-500"        → 500 SYSTEM_ERROR, the call is NOT carried out (WeChat had an outage);
 *          "lose-answer"     → the call IS carried out, the answer is a 500 (the merchant cannot know);
 *          "timeout"         → the call IS carried out, the answer comes only after `delayMs` (past the client's timeout);
 *          "error:<CODE>"    → 400 with that code, not carried out (an answer the merchant does not know).
 *   DELETE /sandbox/faults   → forgets every armed fault.
 * A fault fires on the next `times` calls of that method and exact path, then disarms itself.
 */
type Fault = { kind: string; times: number; delayMs: number };
const armed = new Map<string, Fault>();
const keyOf = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

export const faultRoutes = new Hono<{ Bindings: PaySandboxBindings }>();

faultRoutes.post("/sandbox/faults", async (c) => {
  const b = await controlBody(c);
  const kind = String(b.kind ?? "");
  const path = String(b.path ?? "");
  if (!/^(lose-answer|http-500|timeout|error:[A-Z_]{1,40})$/.test(kind) || !path.startsWith("/v3/")) {
    return c.json({ error: "path: /v3/…; kind: lose-answer | http-500 | timeout | error:<CODE>" }, 400);
  }
  const times = Number.isInteger(b.times) && (b.times as number) > 0 ? (b.times as number) : 1;
  const delayMs = Number.isInteger(b.delayMs) && (b.delayMs as number) > 0 ? Math.min(b.delayMs as number, 30_000) : 1500;
  armed.set(keyOf(String(b.method ?? "POST"), path), { kind, times, delayMs });
  return c.json({ ok: true });
});

faultRoutes.delete("/sandbox/faults", (c) => {
  armed.clear();
  return c.json({ ok: true });
});

/** Runs before the WeChat Pay routes: an armed fault for this call changes what happens to it. */
export const injectFaults: MiddlewareHandler<{ Bindings: PaySandboxBindings }> = async (c, next) => {
  const key = keyOf(c.req.method, c.req.path);
  const fault = armed.get(key);
  if (!fault) return next();
  if (--fault.times <= 0) armed.delete(key);
  const ctx = c as unknown as C;
  // Read the request as WeChat would (Hono keeps the text for the route), even when answering without carrying it out.
  if (c.req.method !== "GET") await c.req.text();
  if (fault.kind === "http-500") return fail(ctx, 500, "SYSTEM_ERROR", "系统错误");
  if (fault.kind.startsWith("error:")) return fail(ctx, 400, fault.kind.slice(6), "sandbox injected error");
  await next();
  if (fault.kind === "lose-answer") c.res = await fail(ctx, 500, "SYSTEM_ERROR", "系统错误");
  else if (fault.kind === "timeout") await new Promise((r) => setTimeout(r, fault.delayMs));
};
