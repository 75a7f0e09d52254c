import { Layout } from "./layout";

export const LOGIN_FAILED = "登录失败：用户名、密码或动态验证码不正确。连续失败 5 次，账户将被锁定 15 分钟。";

export function LoginPage({ csrfToken, error, notice, username }: { csrfToken: string; error?: string; notice?: string; username?: string }) {
  return (
    <Layout title="登录">
      <div class="login">
        <h1>知识社群 · 管理后台</h1>
        <div class="card">
          <form method="post" action="/admin/login" autocomplete="off">
            {error ? <div class="error" role="alert">{error}</div> : null}
            {notice ? <div class="notice">{notice}</div> : null}
            <input type="hidden" name="_csrf" value={csrfToken} />
            <label>
              用户名
              <input type="text" name="username" value={username ?? ""} required maxlength={32} autocomplete="username" autofocus={!username} />
            </label>
            <label>
              密码
              <input type="password" name="password" required maxlength={256} autocomplete="current-password" autofocus={!!username} />
            </label>
            <label>
              动态验证码（身份验证器 App 中的 6 位数字）
              <input type="text" name="code" required inputmode="numeric" pattern="[0-9]{6}" maxlength={6} autocomplete="one-time-code" />
            </label>
            <button class="primary" type="submit">登录</button>
          </form>
        </div>
        <p class="muted">首个管理员通过命令行创建：<span class="mono">npm run admin:create -- --username 名字</span></p>
      </div>
    </Layout>
  );
}
