/**
 * What the shop pages need from `wx` beyond support/wx-env.ts: WeChat Pay's cashier, the device platform,
 * redirectTo/switchTab and an InnerAudioContext. `wx.requestPayment` is played by the WeChat sandbox: the
 * stub finds the order by its prepay_id and makes the sandbox "pay" it, and the sandbox delivers the signed
 * TRANSACTION.SUCCESS notification to the worker's /api/pay/notify, the path a real payment takes.
 */
type Callbacks = { success?: (res: any) => void; fail?: (err: { errMsg: string }) => void; complete?: () => void };
import { createServer } from "node:net";
import { startLocalWorker } from "../../../../scripts/local-worker.mjs";

type Worker = Awaited<ReturnType<typeof startLocalWorker>>;

/** A free local port, so the sandbox can be told the worker's notify URL before the worker starts. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
      .listen(0, "127.0.0.1", () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      })
      .on("error", reject);
  });
}

/** The worker on a known port that is also its NOTIFY_BASE_URL, so the sandbox delivers WeChat Pay's notifications. */
export async function startShopWorker() {
  const port = await freePort();
  return startLocalWorker({ port, bindings: { NOTIFY_BASE_URL: `http://127.0.0.1:${port}`, LOG_LEVEL: "warn" } });
}

export function queryOf(url: string): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(url.split("?")[1] ?? ""));
}

export async function login(worker: Worker, openid: string) {
  const res = await worker.fetch("/api/auth/wechat", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code: `sandbox:${openid}` }) });
  if (res.status !== 200) throw new Error(`login ${openid}: ${res.status}`);
  return (await res.json()) as { token: string; member: { id: string } };
}

/** pay: the member pays; cancel: closes the cashier; pay-late: pays, but WeChat's notification is held back. */
export type Cashier = "pay" | "cancel" | "fail" | "pay-late";

export async function sandboxPay(worker: Worker, orderId: string, deliver = true) {
  const sandbox = await worker.mf.getWorker("wechat-sandbox");
  const res = await sandbox.fetch("https://api.mch.weixin.qq.com/sandbox/pay", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ out_trade_no: orderId, deliver }),
  });
  if (!res.ok) throw new Error(`sandbox pay: ${res.status} ${await res.text()}`);
  return (await res.json()) as { url: string; headers: Record<string, string>; body: string; delivered?: number | string };
}

export function installShop(worker: Worker, { platform = "android" }: { platform?: string } = {}) {
  const state = {
    cashier: "pay" as Cashier,
    payments: [] as { package: string; orderId: string }[],
    /** Notifications the sandbox built but did not deliver (pay-late). */
    heldNotifications: [] as { url: string; headers: Record<string, string>; body: string }[],
    redirects: [] as string[],
    tabs: [] as string[],
    audio: null as null | Record<string, any>,
  };
  const later = (fn: () => void) => setTimeout(fn);
  const stub = {
    requestPayment(opts: Record<string, any> & Callbacks) {
      void (async () => {
        const row = await worker.db.prepare("select id from orders where prepay_id = ?").bind(String(opts.package).replace(/^prepay_id=/, "")).first<{ id: string }>();
        if (!row || !opts.paySign || opts.signType !== "RSA") return opts.fail?.({ errMsg: "requestPayment:fail parameter error" });
        state.payments.push({ package: opts.package, orderId: row.id });
        if (state.cashier === "cancel") return opts.fail?.({ errMsg: "requestPayment:fail cancel" });
        if (state.cashier === "fail") return opts.fail?.({ errMsg: "requestPayment:fail 系统错误" });
        const notification = await sandboxPay(worker, row.id, state.cashier === "pay");
        if (state.cashier === "pay-late") state.heldNotifications.push(notification);
        else if (notification.delivered !== 204) throw new Error(`notification not accepted: ${notification.delivered}`);
        opts.success?.({ errMsg: "requestPayment:ok" });
      })().finally(() => opts.complete?.());
    },
    getDeviceInfo: () => ({ platform, system: platform === "ios" ? "iOS 17.0" : "Android 14", brand: "test", model: "test" }),
    getSystemInfoSync: () => ({ platform }),
    redirectTo: (opts: Callbacks & { url: string }) => {
      state.redirects.push(opts.url);
      later(() => opts.success?.({ errMsg: "redirectTo:ok" }));
      return Promise.resolve({ errMsg: "redirectTo:ok" });
    },
    switchTab: (opts: Callbacks & { url: string }) => {
      state.tabs.push(opts.url);
      later(() => opts.success?.({ errMsg: "switchTab:ok" }));
      return Promise.resolve({ errMsg: "switchTab:ok" });
    },
    createInnerAudioContext: () => {
      const handlers: Record<string, (() => void)[]> = {};
      const on = (name: string) => (fn: () => void) => void (handlers[name] ??= []).push(fn);
      const audio: Record<string, any> = {
        src: "",
        startTime: 0,
        currentTime: 0,
        paused: true,
        destroyed: false,
        emit: (name: string) => (handlers[name] ?? []).forEach((fn) => fn()),
        play() {
          audio.paused = false;
          audio.emit("play");
        },
        pause() {
          if (audio.paused) return;
          audio.paused = true;
          audio.emit("pause");
        },
        destroy() {
          audio.destroyed = true;
        },
        onPlay: on("play"),
        onPause: on("pause"),
        onEnded: on("ended"),
        onTimeUpdate: on("timeupdate"),
        onError: on("error"),
      };
      state.audio = audio;
      return audio;
    },
  };
  const g = globalThis as any;
  g.wx = { ...g.wx, ...stub };
  return state;
}
