import { raw } from "hono/html";
import type { Child } from "hono/jsx";
import { beijingDateTime } from "../calendar/beijing";
import type { ConsoleAdmin } from "./session";

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.55 -apple-system,BlinkMacSystemFont,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2328;background:#f5f6f8}
a{color:#0b63c5;text-decoration:none}a:hover{text-decoration:underline}
header{display:flex;align-items:center;gap:24px;padding:0 24px;height:52px;background:#1d2733;color:#fff}
header .brand{font-weight:600;font-size:15px;color:#fff}
header nav{display:flex;gap:4px;flex:1}
header nav a{color:#c9d1d9;padding:6px 12px;border-radius:6px}
header nav a.on,header nav a:hover{background:#2f3d4d;color:#fff;text-decoration:none}
header .who{display:flex;align-items:center;gap:12px;color:#c9d1d9}
header .who button{background:none;border:1px solid #4a5868;color:#c9d1d9;padding:4px 10px;border-radius:6px;cursor:pointer}
main{max-width:1160px;margin:24px auto;padding:0 24px}
h1{font-size:20px;margin:0 0 16px}h2{font-size:16px;margin:24px 0 10px}
.card{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:16px 20px;margin-bottom:16px}
.stats{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:12px;margin-bottom:16px}
.stat{background:#fff;border:1px solid #e3e6ea;border-radius:8px;padding:14px 16px}
a.stat{color:inherit}a.stat:hover{text-decoration:none;border-color:#0b63c5}
.stat b{display:block;font-size:24px;font-weight:600}.stat span{color:#656d76}
table{width:100%;border-collapse:collapse;background:#fff;border:1px solid #e3e6ea;border-radius:8px;overflow:hidden}
th,td{text-align:left;padding:9px 12px;border-bottom:1px solid #eef0f2;vertical-align:top}
th{background:#f8f9fa;font-weight:600;color:#424a53;white-space:nowrap}
tr:last-child td{border-bottom:none}
.muted{color:#656d76}.mono{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
.tag{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;background:#eef1f4;color:#424a53}
.tag.promoter{background:#e6f4ea;color:#1a7f37}.tag.channel_partner{background:#ddf4ff;color:#0969da}.tag.shareholder{background:#fbefff;color:#8250df}
.tag.admin{background:#fff1e5;color:#bc4c00}
.tag.blocked{background:#ffebe9;color:#cf222e}
form.search{display:flex;gap:8px;margin-bottom:16px}
input[type=text],input[type=password],input[type=search]{padding:8px 10px;border:1px solid #d0d7de;border-radius:6px;font-size:14px;min-width:0}
form.search input{flex:1;max-width:420px}
button.primary{background:#1f6feb;color:#fff;border:none;border-radius:6px;padding:8px 16px;font-size:14px;cursor:pointer}
.pager{display:flex;gap:16px;margin:12px 0}
dl.fields{display:grid;grid-template-columns:140px 1fr;gap:6px 16px;margin:0}dl.fields dt{color:#656d76}dl.fields dd{margin:0}
pre{margin:0;white-space:pre-wrap;word-break:break-all;font-size:12px;background:#f6f8fa;padding:6px 8px;border-radius:6px}
details summary{cursor:pointer;color:#0b63c5}
.chain{display:flex;gap:6px;align-items:center;flex-wrap:wrap}
.login{max-width:380px;margin:10vh auto}
.login form{display:flex;flex-direction:column;gap:12px}
.login label{display:flex;flex-direction:column;gap:4px;color:#424a53}
.error{background:#ffebe9;border:1px solid #ffcecb;color:#82071e;padding:8px 12px;border-radius:6px}
.notice{background:#ddf4ff;border:1px solid #b6e3ff;padding:8px 12px;border-radius:6px}
.notice,.error{margin-bottom:12px}
a.button,button{display:inline-block;background:#fff;color:#1f2328;border:1px solid #d0d7de;border-radius:6px;padding:6px 14px;font-size:14px;cursor:pointer;font-weight:normal}
a.button:hover{text-decoration:none;background:#f3f4f6}h1 a.button{margin-left:12px;font-size:13px}
button.small{padding:2px 8px;font-size:12px}button:disabled{opacity:.35;cursor:default}button.danger{background:#cf222e;color:#fff;border-color:#cf222e}
form.form{display:flex;flex-direction:column;gap:12px;max-width:720px}
label.field{display:flex;flex-direction:column;gap:4px;color:#424a53}
label.check{display:inline-flex;align-items:center;gap:4px;color:#424a53}
input[type=text],select,textarea{padding:7px 10px;border:1px solid #d0d7de;border-radius:6px;font:inherit;background:#fff}
textarea{resize:vertical}
.field-error{color:#cf222e}
form.inline{display:inline-flex;gap:8px;align-items:center;flex-wrap:wrap;margin:0}
form.inline.grow{flex:1}form.inline.grow input[type=text]{flex:1;max-width:420px}
.card.actions{display:flex;gap:16px;align-items:center;flex-wrap:wrap}
.chapter table{margin:10px 0}.chapter-head{display:flex;gap:12px;align-items:center}
.moves{display:inline-flex;gap:2px}
.tag.published,.tag.paid,.tag.succeeded{background:#e6f4ea;color:#1a7f37}.tag.draft,.tag.pending,.tag.processing{background:#fff8c5;color:#7d4e00}
.tag.refunding{background:#fff1e5;color:#bc4c00}.tag.refunded,.tag.closed,.tag.archived,.tag.abnormal{background:#eef1f4;color:#656d76}
.tag.trial{background:#ddf4ff;color:#0969da}.tag{white-space:nowrap}
table+.card,table+form.card{margin-top:16px}
.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
form.filters{display:flex;gap:12px;align-items:flex-end;flex-wrap:wrap}form.filters .filter-buttons{display:flex;gap:8px}
input[type=date]{padding:6px 10px;border:1px solid #d0d7de;border-radius:6px;font:inherit;background:#fff}
dl.audit-fields{display:grid;grid-template-columns:auto 1fr;gap:2px 10px;margin:0;font-size:12px;min-width:180px}
dl.audit-fields dt{color:#656d76;white-space:nowrap}dl.audit-fields dd{margin:0;overflow-wrap:anywhere}
.error-page{max-width:560px;margin:8vh auto;text-align:center;padding:32px 24px}.error-page .error-code{font-size:56px;font-weight:700;color:#d0d7de;line-height:1}
input,select,textarea{max-width:100%}dl.fields dd{min-width:0;overflow-wrap:anywhere}
.nav-toggle,.nav-button{display:none}
@media (max-width:760px){
header{flex-wrap:wrap;height:auto;min-height:52px;gap:8px 12px;padding:8px 12px}
header .brand{flex:1}
.nav-button{display:inline-block;background:none;border:1px solid #4a5868;color:#c9d1d9;padding:4px 10px;border-radius:6px;cursor:pointer}
header nav{display:none;order:3;flex-basis:100%;flex-direction:column;gap:2px;padding-bottom:4px}
.nav-toggle:checked~nav{display:flex}
header .who{gap:8px}header .who span{display:none}
main{margin:16px auto;padding:0 12px}
.card{padding:12px 14px}
table{display:block;overflow-x:auto;-webkit-overflow-scrolling:touch;max-width:100%}
th,td{white-space:nowrap}td pre{white-space:pre;min-width:240px}
form.search{flex-wrap:wrap}form.search input{max-width:none;min-width:0}
form.inline,form.inline.grow{display:flex;width:100%}form.inline input[type=text]{flex:1 1 160px;max-width:none}
dl.fields{grid-template-columns:96px 1fr}
.stats{grid-template-columns:repeat(2,minmax(0,1fr))}.stat b{font-size:20px}
h1{font-size:18px}h1 a.button{margin:8px 0 0;display:inline-block}
}
`;

export type NavEntry = { key: string; label: string; path: string };

/** The menu: 概览, then each domain's entry in the order of worker/console/pages.ts (the shell sets it at startup). */
let nav: readonly NavEntry[] = [{ key: "dashboard", label: "概览", path: "/admin" }];

export function setNav(entries: readonly NavEntry[]) {
  nav = entries;
}

type LayoutProps = { title: string; admin?: ConsoleAdmin; csrfToken?: string; active?: string; children?: Child };

export function Layout({ title, admin, csrfToken, active, children }: LayoutProps) {
  // The doctype keeps the pages out of quirks mode (where tables do not inherit the font, for one).
  return (
    <>
      {raw("<!DOCTYPE html>")}
      <html lang="zh-CN">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <link rel="icon" href="data:," />
          {csrfToken ? <meta name="csrf-token" content={csrfToken} /> : null}
          <title>{`${title} · 知识社群管理后台`}</title>
          {/* A constant stylesheet: set raw, since escaped quotes would break the font declarations. */}
          <style dangerouslySetInnerHTML={{ __html: CSS }} />
        </head>
        <body>
          {admin ? (
            <header>
              <span class="brand">知识社群 · 管理后台</span>
              {/* Phones: the menu folds behind a checkbox toggled by its label (CSS only; the console runs no script). */}
              <input type="checkbox" id="nav-toggle" class="nav-toggle" aria-hidden="true" />
              <label for="nav-toggle" class="nav-button" data-testid="nav-button">
                ☰ 菜单
              </label>
              <nav>
                {nav.map((n) => (
                  <a href={n.path} class={n.key === active ? "on" : ""}>
                    {n.label}
                  </a>
                ))}
              </nav>
              <form class="who" method="post" action="/admin/logout">
                <span data-testid="admin-username">{admin.username}</span>
                <input type="hidden" name="_csrf" value={csrfToken} />
                <button type="submit">退出登录</button>
              </form>
            </header>
          ) : null}
          <main>{children}</main>
        </body>
      </html>
    </>
  );
}

export const TIER_LABELS: Record<string, string> = {
  member: "会员",
  promoter: "推广员",
  channel_partner: "渠道合伙人",
  shareholder: "股东合伙人",
};

export function TierTag({ tier }: { tier: string }) {
  return <span class={`tag ${tier}`}>{TIER_LABELS[tier] ?? tier}</span>;
}

/** Times in China Standard Time, the audience's clock. */
export function formatTime(date: Date | null | undefined): string {
  if (!date) return "—";
  return beijingDateTime(date.getTime());
}
