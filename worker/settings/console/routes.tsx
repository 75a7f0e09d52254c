import { Hono, type Context } from "hono";
import { changeSettings, listSettings, type SettingView } from "../admin";
import { SETTINGS } from "../registry";
import { consoleActor } from "../../console/api-auth";
import { attempt } from "../../console/errors";
import type { ConsoleEnv } from "../../console/context";
import { Messages } from "../../courses/console/pages";
import { field, formEntries } from "../../console/form";
import { Layout } from "../../console/layout";
import type { ConsoleSession } from "../../console/session";

type Ctx = Context<ConsoleEnv>;

/** 系统设置: every declared setting, edited as JSON, saved all-or-nothing through PATCH /api/admin/settings' service. */
export const settingsConsole = new Hono<ConsoleEnv>();

function SettingsPage(p: { session: ConsoleSession; items: SettingView[]; values?: Record<string, string>; notice?: string; error?: string }) {
  return (
    <Layout title="系统设置" admin={p.session.admin} csrfToken={p.session.csrfToken} active="settings">
      <h1>系统设置</h1>
      <Messages notice={p.notice} error={p.error} />
      <form class="card form" method="post" action="/admin/settings" data-testid="settings-form">
        <input type="hidden" name="_csrf" value={p.session.csrfToken} />
        {p.items.map((s) => (
          <label class="field">
            <span>
              {s.label} <span class="muted mono">{s.key}</span>
              {s.malformed ? <span class="tag blocked">存储值无效，当前使用默认值</span> : null}
            </span>
            <input type="text" name={s.key} value={p.values?.[s.key] ?? JSON.stringify(s.value)} data-testid={`setting-${s.key}`} />
            <span class="muted">
              {s.help} 默认值：<span class="mono">{JSON.stringify(s.defaultValue)}</span>
            </span>
          </label>
        ))}
        <div><button type="submit">保存设置</button></div>
      </form>
    </Layout>
  );
}

settingsConsole.get("/settings", async (c) =>
  c.html(<SettingsPage session={c.var.session} items={await listSettings(c.env.DB)} notice={c.req.query("done") === "saved" ? "设置已保存，下一次请求即生效。" : undefined} />),
);

settingsConsole.post("/settings", async (c: Ctx) => {
  const form = await formEntries(c);
  const values = Object.fromEntries(SETTINGS.map((s) => [s.key, field(form, s.key).trim()]));
  const patch: Record<string, unknown> = {};
  const unreadable: string[] = [];
  for (const s of SETTINGS) {
    if (values[s.key] === "") continue;
    try {
      patch[s.key] = JSON.parse(values[s.key]);
    } catch {
      unreadable.push(s.label);
    }
  }
  const rerender = async (error: string) => c.html(<SettingsPage session={c.var.session} items={await listSettings(c.env.DB)} values={values} error={error} />, 422);
  if (unreadable.length) return rerender(`以下设置不是有效的 JSON：${unreadable.join("、")}。没有保存任何设置。`);
  const result = await attempt(() => changeSettings(c.env.DB, consoleActor(c.var.session), patch, c.var.requestId));
  if (!result.ok) return rerender(`${result.error} 没有保存任何设置。`);
  return c.redirect("/admin/settings?done=saved", 303);
});
