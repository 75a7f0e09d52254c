import { applyD1Migrations } from "cloudflare:test";
import { env } from "cloudflare:workers";

// Setup files run before each test file; storage is isolated per file, and the helper skips applied migrations.
await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
