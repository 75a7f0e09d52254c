/** The login code the development version sends to the WeChat sandbox instead of wx.login()'s. */
export function sandboxLoginCode(envVersion: string | undefined, openid: string): string | null {
  return envVersion === "develop" && /^[A-Za-z0-9_-]{1,64}$/.test(openid) ? `sandbox:${openid}` : null;
}
