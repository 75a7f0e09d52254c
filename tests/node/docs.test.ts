// The README and docs/ stay true: every `npm run X` they show is a script, every relative link and repository path they
// name exists, every route they name (`POST /api/orders`) has its access rule — so it is a route of the worker — and
// every environment variable or constant they name (JWT_SECRET, LOG_LEVEL, MAX_LEVELS …) is named in the code or its
// configuration too.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { accessRules, pageAccessRules } from "../../worker/http/access-rules";

const root = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(root, file), "utf8");

const documents = ["README.md", "BENCHMARKS.md", ...readdirSync(path.join(root, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)];
const scripts = Object.keys(JSON.parse(read("package.json")).scripts as Record<string, string>);

/** Files generated on first run (`npm run dev`), named by the docs but never committed. */
const generated = new Set([".dev.vars", "worker/wechat-sandbox/.dev.vars"]);
const repositoryRoots = ["worker/", "schema/", "scripts/", "tests/", "mini-program/", "docs/"];

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens. */
const anchorsOf = (markdown: string) =>
  new Set([...markdown.matchAll(/^#+\s+(.+)$/gm)].map((m) => m[1].toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, "").trim().replace(/\s/g, "-")));

/** The text of the code and its configuration, where a documented name must also appear. */
function sourceText(): string {
  const texts: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = `${dir}/${entry.name}`;
      if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
      if (entry.isDirectory()) walk(rel);
      else if (/\.(ts|tsx|mjs|sh|json|toml)$/.test(entry.name)) texts.push(read(rel));
    }
  };
  for (const dir of ["worker", "scripts", "schema", "tests", "mini-program/miniprogram"]) walk(dir);
  for (const file of ["wrangler.toml", ".dev.vars.example", "worker-configuration.d.ts", "vitest.config.ts", "package.json"]) texts.push(read(file));
  return texts.join("\n");
}

describe.each(documents)("%s", (doc) => {
  const text = read(doc);

  it("shows only npm scripts that package.json has", () => {
    const named = [...text.matchAll(/npm run ([a-z][\w:.-]*)/g)].map((m) => m[1]);
    expect(named.filter((s) => !scripts.includes(s))).toEqual([]);
  });

  it("links only to files (and headings) that exist", () => {
    const broken = [...text.matchAll(/\]\(([^)\s]+)\)/g)]
      .map((m) => m[1])
      .filter((link) => !/^[a-z]+:/.test(link))
      .filter((link) => {
        const [file, anchor] = link.split("#");
        const target = file ? path.join(path.dirname(doc), file) : doc;
        if (!existsSync(path.join(root, target))) return true;
        return anchor !== undefined && target.endsWith(".md") && !anchorsOf(read(target)).has(anchor);
      });
    expect(broken).toEqual([]);
  });

  it("names only repository paths that exist", () => {
    const missing = [...text.matchAll(/`([^`\s]+)`/g)]
      .map((m) => m[1].split(":")[0].replace(/[).,]+$/, ""))
      .filter((p) => repositoryRoots.some((r) => p.startsWith(r)) && !/[<*…{]/.test(p) && !generated.has(p))
      .filter((p) => !existsSync(path.join(root, p)));
    expect(missing).toEqual([]);
  });
});

/** A route's shape: `:id` and `{id}` alike, whatever the parameter's name. */
const shapeOf = (route: string) => route.replace(/[:{]\w+\}?/g, "{}");
const knownRoutes = new Set([...Object.keys(accessRules), ...Object.keys(pageAccessRules)].map(shapeOf));
/** WeChat's own endpoints and the sandbox's control endpoints, which the worker does not serve. */
const wechatSide = /^\/(v3|sandbox|sns|cgi-bin|wxa)\//;

describe.each(documents)("%s names routes", (doc) => {
  it("that the worker serves (each has its access rule)", () => {
    const named = [...read(doc).matchAll(/\b(GET|POST|PUT|PATCH|DELETE)\s+(\/[^\s`?,\]]*)/g)]
      .map(([, method, route]) => `${method} ${route.replace(/[.;)]+$/, "")}`)
      // Shorthands such as `GET /api/admin/rounds[/:id]`, `…/approve|reject` or `POST …/:id/open` are left out.
      .filter((r) => !/[[|…]/.test(r) && !wechatSide.test(r.split(" ")[1]));
    expect(named.filter((r) => !knownRoutes.has(shapeOf(r)))).toEqual([]);
  });
});

describe("the names the docs give", () => {
  it("are environment variables, bindings and constants that the code or its configuration names too", () => {
    const source = sourceText();
    const named = new Set(documents.flatMap((doc) => [...read(doc).matchAll(/(?<![\w.-])([A-Z][A-Z0-9]*_[A-Z0-9_]+)(?![\w-])/g)].map((m) => m[1])));
    expect(named.size).toBeGreaterThan(10);
    expect([...named].filter((name) => !source.includes(name))).toEqual([]);
  });
});
