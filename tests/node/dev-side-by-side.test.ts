// Two `npm run dev` on one machine: each picks free ports when the asked-for ones are taken, and its worker talks to
// its own WeChat sandbox (login, WeChat Pay) and gets its own payment notifications.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { projectNode } from "../../scripts/wrangler.mjs";

const root = path.resolve(import.meta.dirname, "../..");

type Dev = { child: ChildProcess; api: string; sandbox: string; output: string[]; state: string };

/** Something else on this machine holding a port (another checkout's dev server, say). */
function occupyPort(): Promise<net.Server> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => resolve(server));
  });
}
const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

/** Starts scripts/dev.mjs with its own local state and waits until it says it is ready. */
async function startDev(env: Record<string, string>): Promise<Dev> {
  const state = await mkdtemp(path.join(tmpdir(), "dev-"));
  const child = spawn(projectNode, ["scripts/dev.mjs", "--persist-to", state], { cwd: root, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (line) => output.push(line));
  const lines = createInterface({ input: child.stdout! });
  return new Promise((resolve, reject) => {
    let api = "";
    let sandbox = "";
    child.on("exit", (code) => reject(new Error(`dev exited with ${code}:\n${output.slice(-30).join("\n")}`)));
    lines.on("line", (raw) => {
      const line = raw.replace(/\x1b\[[0-9;]*m/g, "");
      output.push(line);
      api ||= line.match(/^\[dev\]\s+API\s+(http:\/\/\S+)$/)?.[1] ?? "";
      sandbox ||= line.match(/^\[dev\]\s+WeChat sandbox\s+(http:\/\/\S+)$/)?.[1] ?? "";
      if (line.includes("Ctrl-C stops both servers.")) resolve({ child, api, sandbox, output, state });
    });
  });
}

async function stopDev(dev: Dev | undefined) {
  if (!dev) return;
  if (dev.child.exitCode === null) {
    const exited = new Promise((r) => dev.child.once("exit", r));
    dev.child.kill("SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (dev.child.exitCode === null) dev.child.kill("SIGKILL");
  }
  await rm(dev.state, { recursive: true, force: true });
}

async function post(url: string, body: unknown, token?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(url, { method: "POST", headers, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

describe("two dev servers side by side", () => {
  let apiTaken: net.Server;
  let sandboxTaken: net.Server;
  const devs: Dev[] = [];

  beforeAll(async () => {
    apiTaken = await occupyPort();
    sandboxTaken = await occupyPort();
    const asked = { API_PORT: String(portOf(apiTaken)), SANDBOX_PORT: String(portOf(sandboxTaken)) };
    devs.push(await startDev(asked));
    devs.push(await startDev(asked));
  }, 600_000); // two fresh starts (migrations, seed, media, two wrangler dev each) on a busy machine

  afterAll(async () => {
    await Promise.all(devs.map(stopDev));
    apiTaken?.close();
    sandboxTaken?.close();
  }, 60_000);

  it("moves off ports that are taken, says so, and gives each its own ports", () => {
    const ports = devs.flatMap((d) => [new URL(d.api).port, new URL(d.sandbox).port]);
    expect(new Set(ports).size).toBe(4);
    expect(ports).not.toContain(String(portOf(apiTaken)));
    expect(ports).not.toContain(String(portOf(sandboxTaken)));
    for (const dev of devs) {
      expect(dev.output.join("\n")).toContain(`API port ${portOf(apiTaken)} is taken; using ${new URL(dev.api).port}`);
      const inspectors = dev.output.find((l) => l.includes("inspectors"));
      expect(inspectors).toMatch(/api 127\.0\.0\.1:\d+ · wechat 127\.0\.0\.1:\d+/);
    }
    const inspectorPorts = devs.flatMap((d) => [...d.output.find((l) => l.includes("inspectors"))!.matchAll(/:(\d+)/g)].map((m) => m[1]));
    expect(new Set(inspectorPorts).size).toBe(4);
  });

  it("starts calmly: a few progress lines, not wrangler's and D1's own output", () => {
    for (const dev of devs) {
      const log = dev.output.join("\n");
      expect(dev.output.length, log).toBeLessThan(30);
      expect(log).toMatch(/applying migrations[\s\S]*seeding demo data[\s\S]*starting the WeChat sandbox at http:\/\/\S+ and the worker at http:\/\/\S+[\s\S]*ready:/);
      expect(log).not.toContain("Executing on local database");
      expect(log).not.toContain("commands executed successfully");
      expect(log).not.toContain("Your Worker has access to the following bindings");
    }
  });

  it("serves the demo courses' cover and a demo video lesson that is a real MP4", async () => {
    const api = devs[0].api;
    const courses = (await (await fetch(`${api}/api/courses`)).json()) as { items: { id: string; coverUrl: string }[] };
    const cover = courses.items[0].coverUrl;
    expect(cover).toMatch(/^\/media\/covers\/[0-9a-f]{64}\.png$/);
    const image = await fetch(`${api}${cover}`);
    expect([image.status, image.headers.get("content-type")]).toEqual([200, "image/png"]);

    const login = await post(`${api}/api/auth/wechat`, { code: "sandbox:demo-member" });
    const detail = (await (await fetch(`${api}/api/courses/course-kaishu-30`)).json()) as { chapters: { lessons: { id: string; kind: string; isTrial: boolean }[] }[] };
    const trial = detail.chapters.flatMap((ch) => ch.lessons).find((l) => l.kind === "video" && l.isTrial)!;
    const link = (await (await fetch(`${api}/api/lessons/${trial.id}/media`, { headers: { authorization: `Bearer ${login.body.token}` } })).json()) as { url: string };
    const video = Buffer.from(await (await fetch(link.url)).arrayBuffer());
    expect(video.toString("latin1", 4, 8)).toBe("ftyp");
    expect(video.length).toBeLessThan(200 * 1024);
  });

  it("logs in and pays on each, through its own sandbox, with the notification back at its own worker", async () => {
    for (const [i, dev] of devs.entries()) {
      const login = await post(`${dev.api}/api/auth/wechat`, { code: "sandbox:demo-member" });
      expect(login.status, JSON.stringify(login.body)).toBe(200);
      const placed = await post(`${dev.api}/api/orders`, { courseId: "course-kaishu-30" }, login.body.token);
      expect(placed.status, JSON.stringify(placed.body)).toBe(201);
      const orderId = placed.body.order.id;

      // The other checkout's sandbox never saw this order; this one's did, and notifies this worker.
      const other = devs[1 - i];
      expect((await post(`${other.sandbox}/sandbox/pay`, { out_trade_no: orderId, deliver: false })).status).toBe(404);
      const paid = await post(`${dev.sandbox}/sandbox/pay`, { out_trade_no: orderId });
      expect(paid.status, JSON.stringify(paid.body)).toBe(200);
      expect(paid.body.url).toBe(`${dev.api}/api/pay/notify`);
      expect(paid.body.delivered).toBe(204);

      const order = (await (await fetch(`${dev.api}/api/orders/${orderId}`, { headers: { authorization: `Bearer ${login.body.token}` } })).json()) as { status: string };
      expect(order.status).toBe("paid");
    }
  }, 60_000);
});
