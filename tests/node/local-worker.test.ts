import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../scripts/local-worker.mjs";

describe("the worker served on a local port", () => {
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  beforeAll(async () => {
    worker = await startLocalWorker();
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("answers /health over HTTP with a migrated D1", async () => {
    const res = await worker.fetch("/health");
    expect(await res.json()).toEqual({ ok: true });
    const tables = await worker.db.prepare("select name from sqlite_master where type='table' and name='members'").all();
    expect(tables.results).toHaveLength(1);
  });
});
