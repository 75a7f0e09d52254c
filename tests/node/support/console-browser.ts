import { Secret, TOTP } from "otpauth";
import { chromium, type Page } from "playwright-core";

/**
 * Debian's Chromium for the console's browser tests. Without the background-networking flags it keeps dialling
 * Google's hosts, which this closed network refuses many at a time.
 */
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** The password every test admin is created with (scripts/admin-credentials.mjs `newAdmin`). */
export const PASSWORD = "a long admin passphrase 42";

export function launchChromium() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS });
}

/** Fills the console's login form on `page` (already at /admin/login) with password and TOTP, and waits for 概览. */
export async function submitConsoleLogin(page: Page, baseUrl: string, username: string, totpSecret: string) {
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', PASSWORD);
  await page.fill('input[name="code"]', TOTP.generate({ secret: Secret.fromBase32(totpSecret) }));
  await Promise.all([page.waitForURL(`${baseUrl}/admin`), page.click('button[type="submit"]')]);
}
