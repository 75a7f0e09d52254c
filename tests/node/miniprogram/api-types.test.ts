import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { apiTypesFile, apiTypesFromWorker } from "../../../scripts/mp-api-types.mjs";

describe("the mini-program's API types", () => {
  let worker: Awaited<ReturnType<typeof startLocalWorker>>;
  beforeAll(async () => {
    worker = await startLocalWorker();
  }, 60_000);
  afterAll(() => worker?.dispose());

  it("match the OpenAPI document the worker serves (run `npm run mp:api` after changing a route)", async () => {
    const committed = await readFile(apiTypesFile, "utf8");
    expect(committed, "mini-program/typings/api.d.ts is stale: run `npm run mp:api`").toBe(await apiTypesFromWorker(worker));
  });
});
