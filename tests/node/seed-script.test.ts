// `npm run seed` as a newcomer runs it: from a shell whose own `node` may be older than the project's (wrangler needs
// Node 22), against a local D1 where a demo openid already logged in before the seed.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runWrangler, spawnWrangler } from "../../scripts/wrangler.mjs";

const root = path.resolve(import.meta.dirname, "../..");
/** The shell's PATH without the project's node_modules/.bin, i.e. the system's own `node` and `npm`. */
const systemPath = (process.env.PATH ?? "").split(path.delimiter).filter((p) => !p.includes("node_modules")).join(path.delimiter);

function run(cmd: string, args: string[]) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(cmd, args, { cwd: root, env: { ...process.env, PATH: systemPath, WRANGLER_SEND_METRICS: "false" } });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", (e) => resolve({ code: -1, output: `${cmd}: ${e.message}` }));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

async function query(state: string, sql: string) {
  let out = "";
  const child = spawnWrangler(["d1", "execute", "DB", "--local", "--persist-to", state, "--json", "--command", sql], { capture: true });
  child.stdout!.on("data", (d: Buffer) => (out += d));
  await new Promise((r) => child.on("exit", r));
  return JSON.parse(out)[0].results as Record<string, unknown>[];
}

describe("npm run seed", () => {
  let state: string;
  beforeAll(async () => {
    state = await mkdtemp(path.join(tmpdir(), "seed-"));
  });
  afterAll(() => rm(state, { recursive: true, force: true }));

  it("migrates and seeds a fresh local D1 with the project's Node, not the shell's", async () => {
    const { code, output } = await run("npm", ["run", "seed", "--", "--persist-to", state]);
    expect(code, output).toBe(0);
    expect(await query(state, "SELECT id, openid FROM members ORDER BY id")).toEqual([
      { id: "mem-demo-admin", openid: "demo-admin" },
      { id: "mem-demo-member", openid: "demo-member" },
      { id: "mem-demo-partner", openid: "demo-partner" },
      { id: "mem-demo-promoter", openid: "demo-promoter" },
    ]);
  }, 120_000);

  it("re-seeds over a demo openid that logged in before the seed (started by the shell's own node)", async () => {
    // What a login before the seed leaves: demo-admin under an id of its own, with no roles.
    await runWrangler(["d1", "execute", "DB", "--local", "--persist-to", state, "--command",
      "DELETE FROM referral_bindings; DELETE FROM members; INSERT INTO members (id, openid, nickname, invite_code, created_at) VALUES ('mem-early-login', 'demo-admin', '', 'EARLY234', 1)"], { capture: true });
    const { code, output } = await run("node", ["scripts/seed.mjs", "--persist-to", state]);
    expect(code, output).toBe(0);
    expect(await query(state, "SELECT id, roles, invite_code FROM members WHERE openid = 'demo-admin'")).toEqual([
      { id: "mem-early-login", roles: '["admin"]', invite_code: "ADMN2345" },
    ]);
    expect(await query(state, "SELECT count(*) AS n FROM members")).toEqual([{ n: 4 }]);
  }, 120_000);
});
