import { Hono } from "hono";
import type { SandboxEnv } from "./conventions";
import { login } from "./login";
import { token } from "./token";
import { phone } from "./phone";
import { wxacode } from "./wxacode";
import { payRoutes } from "./pay";
import { transferRoutes } from "./transfers";
import { faultRoutes, injectFaults } from "./faults";

/**
 * The WeChat sandbox: a stand-in for api.weixin.qq.com (and api.mch.weixin.qq.com) that speaks the same
 * protocol, so the product's real client code is what tests and the demo exercise. Each WeChat API family
 * lives in its own file; this router only mounts them. Conventions for tests: ./conventions.ts.
 */
const app = new Hono<SandboxEnv>();

app.route("/", login);
app.route("/", token);
app.route("/", phone);
app.route("/", wxacode);

app.use("/v3/*", injectFaults);
app.route("/", faultRoutes);
app.route("/", payRoutes);
app.route("/", transferRoutes);

app.all("*", (c) => c.json({ errcode: 404, errmsg: `sandbox has no ${c.req.method} ${c.req.path}` }, 404));

export default app;
