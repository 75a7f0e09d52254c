import type { Context } from "hono";
import { ApiError } from "../http/problem";
import type { ConsoleEnv } from "./context";
import { problemMessage } from "./errors";
import { Layout } from "./layout";

type ErrorStatus = 400 | 403 | 404 | 409 | 413 | 422 | 500;

const TITLES: Record<number, string> = { 403: "无法完成该请求", 404: "页面不存在", 500: "服务器出错了" };
const title = (status: number) => TITLES[status] ?? "请求未完成";

/** An error inside the console's frame: the menu stays, so the operator can go on from where they are. */
export function ErrorPage({ c, status, detail }: { c: Context<ConsoleEnv>; status: ErrorStatus; detail: string }) {
  const session = c.get("session");
  return (
    <Layout title={title(status)} admin={session?.admin} csrfToken={session?.csrfToken}>
      <div class="card error-page" data-testid="error-page" data-status={status}>
        <div class="error-code">{status}</div>
        <h1>{title(status)}</h1>
        <p>{detail}</p>
        {status === 500 ? <p class="muted mono">请求编号 {c.var.requestId}（反馈问题时请附上）</p> : null}
        <p>
          <a class="button" href={session ? "/admin" : "/admin/login"}>
            {session ? "返回概览" : "前往登录"}
          </a>
        </p>
      </div>
    </Layout>
  );
}

/** 404 in the console frame; `detail` says what was not found ("没有这个会员。"). */
export function notFoundPage(c: Context<ConsoleEnv>, detail = "页面不存在，或链接已失效。") {
  return c.html(<ErrorPage c={c} status={404} detail={detail} />, 404);
}

export function forbiddenPage(c: Context<ConsoleEnv>, detail: string) {
  return c.html(<ErrorPage c={c} status={403} detail={detail} />, 403);
}

/** A service's refusal that no page caught (ApiError), in its own status. */
export function problemPage(c: Context<ConsoleEnv>, err: ApiError) {
  const status = ([400, 403, 404, 409, 413, 422] as const).find((s) => s === err.status);
  if (!status) return serverErrorPage(c);
  return c.html(<ErrorPage c={c} status={status} detail={problemMessage(err)} />, status);
}

export function serverErrorPage(c: Context<ConsoleEnv>) {
  return c.html(<ErrorPage c={c} status={500} detail="页面没能打开，操作可能没有完成。请稍后重试；问题持续时请联系技术人员。" />, 500);
}
