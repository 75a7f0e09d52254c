// scripts/ensure-chromium.sh: the browser tests need Chromium and a font that covers Chinese (their screenshots show
// Chinese text). The script installs whichever is missing and does nothing when both are present. Here `fc-list` and
// `id` are stand-ins on PATH, so the script's decision shows without touching the machine's packages.
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const script = path.resolve(import.meta.dirname, "../../scripts/ensure-chromium.sh");
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** Runs the script as a non-root user (so it would only say what it needs) with `fc-list` printing `fonts`. */
function run(fonts: string) {
  const bin = mkdtempSync(path.join(tmpdir(), "ensure-chromium-"));
  dirs.push(bin);
  const stub = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  stub("fc-list", fonts ? `printf '%s\\n' '${fonts}'` : "exit 0");
  stub("id", "echo 1000");
  stub("apt-get", "echo apt-get must not run here >&2; exit 99");
  const res = spawnSync("sh", [script], { env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` }, encoding: "utf8" });
  return { code: res.status, output: `${res.stdout}${res.stderr}` };
}

describe.skipIf(!existsSync("/usr/bin/chromium"))("ensure-chromium.sh with Chromium installed", () => {
  it("does nothing when a CJK font is there too", () => {
    expect(run("Noto Sans CJK SC,Noto Sans CJK JP")).toEqual({ code: 0, output: "" });
  });

  it("asks for fonts-noto-cjk (and only that) when no font covers Chinese", () => {
    const { code, output } = run("");
    expect(code).toBe(1);
    expect(output).toContain("apt-get install -y fonts-noto-cjk");
    expect(output).not.toMatch(/install -y chromium/);
  });
});
