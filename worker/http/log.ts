/** Structured JSON logs: one object per line, always carrying the request id. */
export type Logger = {
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
};

const LEVELS = { info: 0, warn: 1, error: 2, silent: 3 } as const;
type Level = keyof typeof LEVELS;

/** `minLevel` comes from the LOG_LEVEL var (info · warn · error · silent); anything else means info. */
export function createLogger(base: Record<string, unknown>, minLevel?: string): Logger {
  const floor = LEVELS[(minLevel as Level) in LEVELS ? (minLevel as Level) : "info"];
  const emit = (level: Exclude<Level, "silent">, msg: string, fields?: Record<string, unknown>) => {
    if (LEVELS[level] < floor) return;
    const line = JSON.stringify({ level, msg, time: new Date().toISOString(), ...base, ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    info: (m, f) => emit("info", m, f),
    warn: (m, f) => emit("warn", m, f),
    error: (m, f) => emit("error", m, f),
  };
}
