import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalWorker } from "../../../scripts/local-worker.mjs";
import { apiTypesFile, apiTypesFromWorker, memberFacing } from "../../../scripts/mp-api-types.mjs";

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

  it("leave out what members never call, and the schemas only that uses", () => {
    const ref = (name: string) => ({ content: { "application/json": { schema: { $ref: `#/components/schemas/${name}` } } } });
    const doc = {
      openapi: "3.1.0",
      paths: {
        "/api/courses": { get: { responses: { 200: ref("CoursePage") } } },
        "/api/admin/courses": { get: { responses: { 200: ref("AdminCourse") } } },
        "/api/pay/notify": { post: { responses: { 204: { description: "ok" } } } },
      },
      components: {
        schemas: {
          CoursePage: { type: "object", properties: { items: { type: "array", items: { $ref: "#/components/schemas/CourseSummary" } } } },
          CourseSummary: { type: "object" },
          AdminCourse: { type: "object" },
        },
      },
    };
    const kept = memberFacing(doc);
    expect(Object.keys(kept.paths)).toEqual(["/api/courses"]);
    expect(Object.keys(kept.components.schemas)).toEqual(["CoursePage", "CourseSummary"]);
  });
});
