import type { DrizzleD1Database } from "drizzle-orm/d1";
import type * as schema from "../../schema";
import type { Logger } from "./log";
import type { Identity, Principal } from "./principal";

export type Db = DrizzleD1Database<typeof schema>;

/** What every handler finds on the Hono context. */
export type AppEnv = {
  Bindings: Env;
  Variables: {
    requestId: string;
    log: Logger;
    db: Db;
    /** Set by every auth middleware: who the caller is (the token proves only this). */
    identity?: Identity;
    /** Set by requireMember / requirePartner / requireAdmin: tier and roles read from D1 on this request. */
    principal?: Principal;
  };
};
