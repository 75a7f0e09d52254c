import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import { ApiError } from "../http/problem";
// The viewer's single-file browser bundle, imported as text (see the "Text" rule in wrangler.toml):
// the reference page must work offline and where public CDNs are unreachable, so nothing is fetched
// from anywhere but this worker.
import viewerScript from "../../node_modules/@scalar/api-reference/dist/browser/standalone.js";
import viewerPackage from "../../node_modules/@scalar/api-reference/package.json";

/** Versioned, so the script can be cached for a year and a dependency upgrade still reaches browsers. */
export const viewerScriptPath = `/docs/assets/api-reference-${viewerPackage.version}.js`;

export const docsRoutes = new Hono();

docsRoutes.get(
  "/docs",
  Scalar({
    url: "/openapi.json",
    pageTitle: "API reference",
    cdn: viewerScriptPath,
    // No web fonts, telemetry or AI agent: each would reach a third-party host.
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
  } as Parameters<typeof Scalar>[0]),
);

docsRoutes.get("/docs/assets/:file", (c) => {
  if (`/docs/assets/${c.req.param("file")}` !== viewerScriptPath) throw ApiError.notFound("The API reference has no such asset.");
  return c.body(viewerScript, 200, {
    "content-type": "text/javascript; charset=utf-8",
    "cache-control": "public, max-age=31536000, immutable",
  });
});
