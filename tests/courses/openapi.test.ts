import { describe, expect, it } from "vitest";
import { call } from "../support/api";

describe("the course routes in the OpenAPI document", () => {
  it("documents the catalog, learning and admin routes from their schemas", async () => {
    const res = await call("/openapi.json");
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { paths: Record<string, Record<string, unknown>> };
    for (const path of [
      "/api/courses",
      "/api/courses/{id}",
      "/api/lessons/{id}/media",
      "/api/lessons/{id}/progress",
      "/api/me/courses",
      "/media/{id}",
      "/api/admin/courses",
      "/api/admin/courses/{id}/publish",
      "/api/admin/chapters/{id}/lessons",
      "/api/admin/lessons/{id}/media",
    ]) {
      expect(doc.paths, path).toHaveProperty([path]);
    }
    expect(Object.keys(doc.paths["/api/admin/lessons/{id}/media"])).toEqual(["put"]);
  });
});
