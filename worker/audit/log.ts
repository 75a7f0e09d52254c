/**
 * The audit log is shared infrastructure: every module that changes something worth auditing puts
 * `auditStatement(...)` into the SAME `d1.batch([...])` as the change, so the record and the change
 * commit together or not at all. Rows are never updated or deleted (triggers in the audit_guards migration).
 */
export type AuditEntry = {
  actorId: string;
  actorKind: "admin" | "member" | "system";
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
  requestId?: string;
};

const INSERT_AUDIT =
  "INSERT INTO audit_log (id, actor_id, actor_kind, action, target_type, target_id, before, after, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

export function auditStatement(d1: D1Database, entry: AuditEntry): D1PreparedStatement {
  return d1.prepare(INSERT_AUDIT).bind(...auditValues(entry));
}

/**
 * The same row, written only if `condition` (an SQL expression, evaluated inside the batch after the
 * statements before it) holds: for outcomes the database decides, such as which of several concurrent
 * failed logins was the one that locked the account.
 */
export function auditStatementIf(d1: D1Database, entry: AuditEntry, condition: string, ...params: unknown[]): D1PreparedStatement {
  const select = INSERT_AUDIT.replace(/VALUES \((.*)\)$/, "SELECT $1 WHERE " + condition);
  return d1.prepare(select).bind(...auditValues(entry), ...params);
}

function auditValues(entry: AuditEntry) {
  const now = Date.now();
  return [
    uuidv7(now),
    entry.actorId,
    entry.actorKind,
    entry.action,
    entry.targetType,
    entry.targetId,
    toJson(entry.before),
    toJson(entry.after),
    entry.requestId ?? null,
    now,
  ];
}

function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

let lastMs = 0;
let sequence = 0;

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then a 12-bit counter (monotonic within this isolate's
 * millisecond), then random bits. Sorting ids sorts rows by time, so the log pages newest-first on its key.
 */
export function uuidv7(ms = Date.now()): string {
  if (ms <= lastMs) {
    sequence++;
    if (sequence > 0xfff) {
      lastMs++;
      sequence = 0;
    }
    ms = lastMs;
  } else {
    lastMs = ms;
    sequence = 0;
  }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const high = Math.floor(ms / 2 ** 16);
  bytes[0] = (high >>> 24) & 0xff;
  bytes[1] = (high >>> 16) & 0xff;
  bytes[2] = (high >>> 8) & 0xff;
  bytes[3] = high & 0xff;
  bytes[4] = (ms >>> 8) & 0xff;
  bytes[5] = ms & 0xff;
  bytes[6] = 0x70 | ((sequence >>> 8) & 0x0f);
  bytes[7] = sequence & 0xff;
  bytes[8] = 0x80 | (bytes[8] & 0x3f);
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
