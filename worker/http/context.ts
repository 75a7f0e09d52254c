import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "../../schema";
import type { Logger } from "./log";
import type { Principal } from "./principal";

export type Db = DrizzleD1Database<typeof schema>;

/** What every handler finds on the Hono context. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    db: Db;
    principal?: Principal;
  };
};
