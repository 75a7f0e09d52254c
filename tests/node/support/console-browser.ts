import { Secret, TOTP } from "otpauth";
import { chromium, type Browser, type Cookie, type Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { newAdmin } from "../../../scripts/admin-credentials.mjs";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";

/**
 * Debian's Chromium for the console's browser tests. Without the background-networking flags it keeps dialling
 * Google's hosts, which this closed network refuses many at a time.
 */
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The password every test admin is created with (scripts/admin-credentials.mjs `newAdmin`). */
export const PASSWORD = "a long admin passphrase 42";

export function launchChromium() {
  // launch() gives the browser a fresh temporary profile (user-data-dir) and removes it on close.
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

type LocalWorker = Awaited<ReturnType<typeof startLocalWorker>>;

export type ConsoleTestbedOptions = {
  /** Console users, each created with PASSWORD and a TOTP secret of its own. */
  admins: string[];
  /** Worker bindings over the local test vars, as startLocalWorker takes them. */
  bindings?: Record<string, unknown>;
  /** The rows the file's tests start from, written after the admins. */
  seed?: (db: LocalWorker["db"]) => Promise<void>;
};

/**
 * One file's console under test: the real worker on 127.0.0.1 with a migrated D1, its admins, and Chromium.
 * Registers the file's beforeAll (start, admins, seed, browser) and afterAll (close, dispose); call it at the
 * top of a describe block and use what it returns inside the tests.
 */
export function consoleTestbed({ admins, bindings, seed }: ConsoleTestbedOptions) {
  let worker: LocalWorker | undefined;
  let browser: Browser | undefined;
  const totpSecrets = new Map<string, string>();
  // A TOTP code is accepted once (worker/console/login.ts), so each admin logs in once per file and later
  // contexts carry that session's cookies.
  const sessions = new Map<string, Cookie[]>();

  beforeAll(async () => {
    worker = await startLocalWorker({ bindings });
    const db = worker.db;
    const created = admins.map((username) => newAdmin({ username, password: PASSWORD }));
    await db.batch(created.map(({ sql }) => db.prepare(sql)));
    for (const { admin } of created) totpSecrets.set(admin.username, admin.totpSecret);
    await seed?.(db);
    browser = await launchChromium();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.dispose();
  });

  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the console testbed starts in beforeAll: use it inside a test or a later hook");
    return value;
  };

  const bed = {
    get worker() {
      return started(worker);
    },
    get db() {
      return started(worker).db;
    },
    get browser() {
      return started(browser);
    },

    /** The admin's current TOTP code, as the authenticator app would show it. */
    totp(username: string): string {
      const secret = totpSecrets.get(username);
      if (!secret) throw new Error(`${username} is not one of this testbed's admins`);
      return TOTP.generate({ secret: Secret.fromBase32(secret) });
    },

    /** Fills the login form on `page` (already at /admin/login) with password and TOTP, and waits for 概览. */
    async signIn(page: Page, username: string) {
      await page.fill('input[name="username"]', username);
      await page.fill('input[name="password"]', PASSWORD);
      await page.fill('input[name="code"]', bed.totp(username));
      await Promise.all([page.waitForURL(`${bed.worker.url}/admin`), page.click('button[type="submit"]')]);
    },

    /** A page in a fresh zh-CN browser context, signed in as `username` and showing 概览. */
    async loggedIn(username: string, { viewport }: { viewport?: { width: number; height: number } } = {}): Promise<Page> {
      const context = await bed.browser.newContext({ locale: "zh-CN", ...(viewport ? { viewport } : {}) });
      const page = await context.newPage();
      const cookies = sessions.get(username);
      if (cookies) {
        await context.addCookies(cookies);
        await page.goto(`${bed.worker.url}/admin`);
      } else {
        await page.goto(`${bed.worker.url}/admin/login`);
        await bed.signIn(page, username);
        sessions.set(username, await context.cookies());
      }
      return page;
    },
  };
  return bed;
}
