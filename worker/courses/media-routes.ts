import { createRoute, z } from "@hono/zod-openapi";
import { problemResponses } from "../http/problem";
import { createRouter } from "../http/router";
import { streamSignedMedia } from "./media";
import { LessonIdParam } from "./schemas";

/** Where signed links point. No bearer token: the signature is the credential (players cannot send headers). */
const streamMedia = createRoute({
  method: "get",
  path: "/media/{id}",
  tags: ["courses"],
  summary: "Stream lesson media behind a signed link (supports a single byte Range)",
  request: {
    params: LessonIdParam,
    // Checked by the handler, so a malformed link is 403 like any other link that does not verify.
    query: z.object({ exp: z.string().max(20).optional(), sig: z.string().max(200).optional() }),
  },
  responses: {
    200: { description: "The whole object", content: { "application/octet-stream": { schema: z.any() } } },
    206: { description: "The requested byte range", content: { "application/octet-stream": { schema: z.any() } } },
    416: { description: "Range not satisfiable" },
    ...problemResponses(403, 404),
  },
});

export const mediaRoutes = createRouter().openapi(streamMedia, async (c) =>
  streamSignedMedia(c.var.db, c.env, c.req.valid("param").id, c.req.valid("query"), c.req.header("range") ?? null),
);
