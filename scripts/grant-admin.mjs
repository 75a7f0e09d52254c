#!/usr/bin/env node
// Grants (or with --revoke removes) the admin role from the command line: how the first admin of a fresh
// deployment is made. Later admins are granted by an admin (POST /api/admin/members/{id}/roles).
// Usage: node scripts/grant-admin.mjs <openid> [--revoke] [--remote]
// The member must have logged in once (so the openid exists).
import { runWrangler } from "./wrangler.mjs";

const args = process.argv.slice(2);
const openid = args.find((a) => !a.startsWith("--"));
if (!openid || !/^[A-Za-z0-9_-]{1,64}$/.test(openid)) {
  console.error("usage: node scripts/grant-admin.mjs <openid> [--revoke] [--remote]");
  process.exit(2);
}
const revoke = args.includes("--revoke");
const where = `openid = '${openid}'`; // safe: checked against the pattern above
const change = revoke
  ? `UPDATE members SET roles = (SELECT json_group_array(value) FROM json_each(members.roles) WHERE value <> 'admin') WHERE ${where}`
  : `UPDATE members SET roles = json_insert(roles, '$[#]', 'admin') WHERE ${where} AND NOT EXISTS (SELECT 1 FROM json_each(members.roles) WHERE value = 'admin')`;
const show = `SELECT id, openid, nickname, tier, roles FROM members WHERE ${where}`;
await runWrangler(["d1", "execute", "DB", args.includes("--remote") ? "--remote" : "--local", `--command=${change}; ${show}`]);
