#!/usr/bin/env node
// Creates a console admin: `npm run admin:create -- --username alice [--member-id <id>] [--password-prompt] [--remote] [--print-sql]`
// Generates (or prompts for) a password, hashes it with PBKDF2-SHA256 exactly as the worker verifies it,
// generates a TOTP secret, inserts the row with `wrangler d1 execute DB --local` (or --remote), and prints
// the password once, the TOTP secret and its otpauth:// URI (add it to an authenticator app).
import { spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { parseArgs } from "node:util";
import { generatePassword, newAdmin, otpauthUri } from "./admin-credentials.mjs";

const { values } = parseArgs({
  options: {
    username: { type: "string" },
    "member-id": { type: "string" },
    "password-prompt": { type: "boolean", default: false },
    remote: { type: "boolean", default: false },
    "print-sql": { type: "boolean", default: false },
    help: { type: "boolean", short: "h", default: false },
  },
});

if (values.help || !values.username) {
  console.log(`usage: npm run admin:create -- --username <name> [options]
  --member-id <id>    link the admin to a member
  --password-prompt   type the password instead of generating one
  --remote            insert into the remote D1 (default: the local one used by npm run dev)
  --print-sql         print the INSERT instead of running wrangler`);
  process.exit(values.username || values.help ? 0 : 1);
}

/** Reads a line without echoing it (the password). */
function promptHidden(question) {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    rl._writeToOutput = (s) => {
      if (s.startsWith(question)) rl.output.write(s);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write("\n");
      resolve(answer);
    });
  });
}

let password;
if (values["password-prompt"]) {
  password = await promptHidden("Password (12+ characters): ");
  if ((await promptHidden("Repeat: ")) !== password) {
    console.error("The passwords differ.");
    process.exit(1);
  }
} else {
  password = generatePassword();
}

let created;
try {
  created = newAdmin({ username: values.username, password, memberId: values["member-id"] });
} catch (e) {
  console.error(String(e.message ?? e));
  process.exit(1);
}
const { admin, sql } = created;

if (values["print-sql"]) {
  console.log(sql);
} else {
  const args = ["wrangler", "d1", "execute", "DB", values.remote ? "--remote" : "--local", "--command", sql];
  const run = spawnSync("npx", args, { stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (run.status !== 0) {
    const output = `${run.stdout ?? ""}\n${run.stderr ?? ""}`;
    if (output.includes("UNIQUE")) console.error(`An admin named ${admin.username} already exists; nothing was created.`);
    else console.error(`${output.trim()}\nwrangler d1 execute failed; nothing was created.`);
    process.exit(1);
  }
}

console.log(`
Admin created: ${admin.username} (${admin.id})${admin.memberId ? ` linked to member ${admin.memberId}` : ""}
${values["password-prompt"] ? "" : `Password (shown once): ${password}\n`}TOTP secret: ${admin.totpSecret}
otpauth URI: ${otpauthUri(admin.username, admin.totpSecret)}

Add the URI (or the secret) to an authenticator app, then log in at /admin/login.`);
