type Vars = Record<string, string>;
export function generateWechatPayKeys(): { worker: Vars; sandbox: Vars };
export function ensureWechatPayDevKeys(options?: { workerVarsPath?: string; sandboxVarsPath?: string}): boolean;
