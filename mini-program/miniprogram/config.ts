/**
 * Where the worker is. `npm run dev` serves it on 127.0.0.1:8787; DevTools needs 不校验合法域名
 * (project.config.json sets urlCheck: false). A release build points this at the deployed worker.
 */
export const API_BASE_URL = "http://127.0.0.1:8787";
