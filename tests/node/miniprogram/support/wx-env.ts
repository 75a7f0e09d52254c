/**
 * The WeChat runtime stand-in for rendering the built mini-program under jsdom, as tdesign and vant test
 * theirs: miniprogram-simulate supplies `Component` (and renders WXML); this file stubs `wx`, `Page`, `App`
 * and `getApp`. `wx.request` goes over HTTP to the real worker (startLocalWorker), `wx.login` yields the
 * code `sandbox:<openid>` that the WeChat sandbox answers for, and storage is an in-memory map.
 */
import "./node-realm";
import { createRequire } from "node:module";
import path from "node:path";
import { MessageChannel as NodeMessageChannel } from "node:worker_threads";
import simulate from "miniprogram-simulate";
import { compileMiniProgram, miniProgramRoot } from "../../../../scripts/mp-build.mjs";

const require = createRequire(import.meta.url);
type Callbacks = { success?: (res: any) => void; fail?: (err: { errMsg: string }) => void; complete?: () => void };
type Options = Record<string, any> & Callbacks;

export type WxStub = ReturnType<typeof installWx>;

/** Compiles the TypeScript once per test file, so the tests load what DevTools would load. */
export async function buildMiniProgram() {
  await compileMiniProgram();
}

function settle<T>(opts: Callbacks, outcome: { ok: true; res: T } | { ok: false; errMsg: string }) {
  // Like wx, answer on a later tick and hand back a promise when no callback was given.
  return new Promise<T>((resolve, reject) =>
    setTimeout(() => {
      if (outcome.ok) {
        opts.success?.(outcome.res);
        resolve(outcome.res);
      } else {
        opts.fail?.({ errMsg: outcome.errMsg });
        if (opts.fail) resolve(undefined as T);
        else reject(new Error(outcome.errMsg));
      }
      opts.complete?.();
    }),
  );
}

/**
 * Node's own Event class. Under vitest's jsdom environment the global Event is jsdom's, while the WebSocket client
 * (undici) dispatches on Node's EventTarget and refuses a jsdom Event; connectSocket puts Node's back.
 */
const nodeEvent = await new Promise<unknown>((resolve) => {
  const { port1, port2 } = new NodeMessageChannel();
  port1.addEventListener("message", (e: object) => {
    let proto = Object.getPrototypeOf(e);
    while (proto && proto.constructor.name !== "Event") proto = Object.getPrototypeOf(proto);
    port1.close();
    resolve(proto.constructor);
  });
  port1.start();
  port2.postMessage(0);
});

export function installWx(worker: { url: string }, { openid }: { openid: string }) {
  const state = {
    storage: new Map<string, unknown>(),
    requests: [] as { method: string; path: string; status: number; authorization?: string }[],
    logins: 0,
    navigations: [] as string[],
    toasts: [] as string[],
    clipboard: "",
    /** Every socket wx.connectSocket opened (open or closed). */
    sockets: [] as WebSocket[],
    /** While true, every wx.request fails as when the phone has no network. */
    offline: false,
  };

  const stub = {
    request(opts: Options) {
      const target = new URL(opts.url);
      const method = (opts.method ?? "GET").toUpperCase();
      if (state.offline) {
        state.requests.push({ method, path: target.pathname + target.search, status: 0 });
        void settle(opts, { ok: false, errMsg: "request:fail net::ERR_INTERNET_DISCONNECTED" });
        return;
      }
      const headers: Record<string, string> = { ...(opts.header ?? {}) };
      const body = method === "GET" || opts.data === undefined ? undefined : JSON.stringify(opts.data);
      void fetch(worker.url + target.pathname + target.search, { method, headers, body })
        .then(async (res) => {
          const text = await res.text();
          let data: unknown = text;
          try {
            data = JSON.parse(text);
          } catch {
            // wx hands over the text when it is not JSON.
          }
          state.requests.push({ method, path: target.pathname + target.search, status: res.status, authorization: headers.Authorization });
          return settle(opts, { ok: true, res: { statusCode: res.status, data, header: Object.fromEntries(res.headers), errMsg: "request:ok" } });
        })
        .catch((e) => settle(opts, { ok: false, errMsg: `request:fail ${e}` }));
    },
    login(opts: Options = {}) {
      state.logins++;
      return settle(opts, { ok: true, res: { code: `sandbox:${openid}`, errMsg: "login:ok" } });
    },
    // An Android phone (miniprogram-simulate's own stub says iOS, where courses cannot be bought).
    getDeviceInfo: () => ({ platform: "android", system: "Android 14", brand: "test", model: "test" }),
    // The tests run the release path, where the code comes from wx.login (the stub's sandbox:<openid>).
    getAccountInfoSync: () => ({ miniProgram: { appId: "wx0000000000sandbox", envVersion: "release", version: "1.0.0" } }),
    getStorageSync: (key: string) => (state.storage.has(key) ? state.storage.get(key) : ""),
    setStorageSync: (key: string, value: unknown) => void state.storage.set(key, value),
    removeStorageSync: (key: string) => void state.storage.delete(key),
    navigateTo: (opts: Options) => {
      state.navigations.push(opts.url);
      return settle(opts, { ok: true, res: { errMsg: "navigateTo:ok" } });
    },
    showToast: (opts: Options) => {
      state.toasts.push(opts.title);
      return settle(opts, { ok: true, res: { errMsg: "showToast:ok" } });
    },
    setClipboardData: (opts: Options) => {
      state.clipboard = opts.data;
      return settle(opts, { ok: true, res: { errMsg: "setClipboardData:ok" } });
    },
    setNavigationBarTitle: (opts: Options) => settle(opts, { ok: true, res: { errMsg: "setNavigationBarTitle:ok" } }),
    stopPullDownRefresh: (opts: Options = {}) => settle(opts, { ok: true, res: { errMsg: "stopPullDownRefresh:ok" } }),
    /** The address a member picks in WeChat's address book (wx.chooseAddress). */
    chooseAddress: (opts: Options) =>
      settle(opts, {
        ok: true,
        res: { userName: "张三", telNumber: "13800000000", provinceName: "浙江省", cityName: "杭州市", countyName: "西湖区", detailInfo: "文三路 1 号", postalCode: "310000", nationalCode: "330106", errMsg: "chooseAddress:ok" },
      }),
    /** wx.connectSocket on Node's WebSocket, to the worker's port (the page builds its ws:// URL from API_BASE_URL). */
    connectSocket(opts: Options) {
      const target = new URL(opts.url);
      (globalThis as any).Event = nodeEvent;
      const ws = new WebSocket(worker.url.replace(/^http/, "ws") + target.pathname + target.search);
      state.sockets.push(ws);
      return {
        onMessage: (cb: (m: { data: unknown }) => void) => ws.addEventListener("message", (e) => cb({ data: e.data })),
        onClose: (cb: (r: { code: number }) => void) => ws.addEventListener("close", (e) => cb({ code: e.code })),
        onError: (cb: (r: { errMsg: string }) => void) => ws.addEventListener("error", () => cb({ errMsg: "socket error" })),
        onOpen: (cb: () => void) => ws.addEventListener("open", () => cb()),
        send: (o: Options) => ws.send(o.data),
        close: () => ws.close(1000),
      };
    },
  };
  const g = globalThis as any;
  g.wx = { ...g.wx, ...stub };
  return state;
}

let app: Record<string, any> | null = null;
const g = globalThis as any;
g.App = (options: Record<string, any>) => {
  app = options;
};
g.getApp = () => app;
/** A page is a component whose handlers are methods; tests call lifecycle handlers (onLoad, …) themselves. */
g.Page = (options: Record<string, any>) => {
  const methods: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) if (typeof value === "function") methods[key] = value;
  g.Component({ data: options.data ?? {}, methods });
};

/** Forgets every loaded mini-program module, so the next launch starts with a fresh session. */
function forgetModules() {
  for (const key of Object.keys(require.cache)) if (key.startsWith(miniProgramRoot + path.sep)) delete require.cache[key];
}

/** Runs app.js (a cold start) and its onLaunch with the given query. */
export function launchApp(query: Record<string, string> = {}) {
  forgetModules();
  app = null;
  require(path.join(miniProgramRoot, "app.js"));
  if (!app) throw new Error("app.js did not call App()");
  const launched = app as Record<string, any>;
  launched.onLaunch({ path: "pages/index/index", query, scene: query.scene ? 1047 : 1007 });
  return launched;
}

/** Renders a page (or component) from the built output and attaches it to the document. */
export function renderPage(route: string) {
  const id = simulate.load(path.join(miniProgramRoot, route), { compiler: "simulate", rootPath: miniProgramRoot });
  const page = simulate.render(id);
  // jsdom's document (the repository's type-check has no DOM lib: the worker runs without one).
  const { document } = globalThis as unknown as { document: { createElement(tag: string): never } };
  page.attach(document.createElement("parent-wrapper"));
  return page;
}

/** Waits until the page shows what the test expects (the worker answers over real HTTP). */
export async function until(check: () => boolean, what: string, timeoutMs = 10_000) {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Rendered = { dom: { textContent: string | null } };

export function texts(page: { querySelectorAll(selector: string): Rendered[] }, selector: string): string[] {
  return page.querySelectorAll(selector).map((c) => (c.dom.textContent ?? "").trim());
}

/** What the page's state-view (loading, empty or error with its retry button) says. */
export function stateText(page: { querySelector(selector: string): Rendered | null | undefined }): string {
  return (page.querySelector("#state")?.dom.textContent ?? "").replace(/\s+/g, "");
}
