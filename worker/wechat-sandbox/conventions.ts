import type { PaySandboxBindings } from "./pay";
import type { Context } from "hono";

/**
 * How a test or the demo makes the sandbox misbehave on purpose, by the value it would send anyway:
 *   `sandbox-error:<errcode>`  → HTTP 200 `{ errcode, errmsg }`, as WeChat reports failures (e.g. 45011, 40226, -1)
 *   `sandbox-error:http-<status>` → that HTTP status with a non-JSON body (an outage or a gateway page)
 */
const ERRMSG: Record<number, string> = {
  [-1]: "system error",
  40001: "invalid credential, access_token is invalid or not latest",
  40013: "invalid appid",
  40029: "invalid code",
  40125: "invalid appsecret",
  40163: "code been used",
  40164: "invalid ip, not in whitelist",
  40226: "high risk user",
  45009: "reach max api daily quota limit",
  45011: "api minute-quota reach limit mustslower retry next minute",
};

export function injectedFailure(c: Context, value: string | undefined): Response | null {
  const m = /^sandbox-error:(http-(\d{3})|-?\d+)$/.exec(value ?? "");
  if (!m) return null;
  if (m[2]) return c.text(`sandbox: injected HTTP ${m[2]}`, Number(m[2]) as 500);
  const errcode = Number(m[1]);
  return c.json({ errcode, errmsg: ERRMSG[errcode] ?? "sandbox injected error" });
}

export type SandboxEnv = { Bindings: { WECHAT_APPID: string; WECHAT_SECRET: string } & PaySandboxBindings };
