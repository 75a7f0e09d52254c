#!/usr/bin/env node
// Grants (or with --revoke removes) the admin role from the command line: how the first admin of a fresh
// deployment is made. Later admins are granted by an admin (POST /api/admin/members/{id}/roles).
// Usage: node scripts/grant-admin.mjs <openid> [--revoke] [--remote]
// The member must have logged in once (so the openid exists).
import { randomBytes } from "node:crypto";
import { runWrangler } from "./wrangler.mjs";

const randomHex = (n) => randomBytes(8).toString("hex").slice(0, n);

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
// The audit record is written only when the UPDATE changed the row (changes() = 1), in the same command.
const ms = Date.now();
const auditId = `${ms.toString(16).padStart(12, "0").replace(/^(.{8})(.{4})$/, "$1-$2")}-7${randomHex(3)}-${(8 + Math.floor(Math.random() * 4)).toString(16)}${randomHex(3)}-${randomHex(12)}`;
const audit = `INSERT INTO audit_log (id, actor_id, actor_kind, action, target_type, target_id, before, after, request_id, created_at)
  SELECT '${auditId}', 'cli:grant-admin', 'system', '${revoke ? "member.role_revoked" : "member.role_granted"}', 'member', id, NULL,
         json_object('roles', json(roles)), NULL, ${ms} FROM members WHERE ${where} AND changes() = 1`;
const show = `SELECT id, openid, nickname, tier, roles FROM members WHERE ${where}`;
await runWrangler(["d1", "execute", "DB", args.includes("--remote") ? "--remote" : "--local", `--command=${change}; ${audit}; ${show}`], { verbose: true });
