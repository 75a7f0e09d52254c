/**
 * Where the worker is. `npm run dev` serves it on 127.0.0.1:8787; DevTools needs 不校验合法域名
 * (project.config.json sets urlCheck: false). A release build points this at the deployed worker.
 */
export const API_BASE_URL = "http://127.0.0.1:8787";

/**
 * The WeChat sandbox that `npm run dev` runs cannot check a real wx.login() code, so the development
 * version (DevTools, real-device preview: envVersion "develop") logs in as this seeded demo member with
 * the code `sandbox:<openid>` instead. Trial and release versions always use wx.login(). Set it to ""
 * to use wx.login() in development too (a worker configured with the real WeChat AppID and secret).
 */
export const DEV_SANDBOX_OPENID = "demo-member";

/**
 * WeChat forbids selling virtual goods (recorded courses included) inside a mini-program on iOS unless the
 * app has WeChat's virtual payment set up: until then iOS shows no price and no buy button
 * (https://developers.weixin.qq.com/community/operate/detail/1006). Set true only together with WeChat's
 * virtual payment (wx.requestVirtualPayment), which is not built yet: wx.requestPayment on iOS breaks the rule.
 */
export const VIRTUAL_PAYMENT_ON_IOS = false;
