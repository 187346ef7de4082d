// The database the server keeps its state in, behind one small async interface: SQLite (one file,
// the default) and PostgreSQL (several servers on one database) both implement it. Queries are
// written once, with `?` placeholders, in SQL both dialects run; the few places that differ ask
// `dialect`.

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly dialect: Dialect;
  /** Where the data is, for logs (a file path, or the URL without its password). */
  readonly location: string;
  all<T>(sql: string, params?: unknown[]): Promise<T[]>;
  get<T>(sql: string, params?: unknown[]): Promise<T | undefined>;
  /** A statement that returns no rows; `changes` is how many rows it wrote. */
  run(sql: string, params?: unknown[]): Promise<{ changes: number }>;
  /** Several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /**
   * Runs `fn` in a transaction that may write: every query made inside it (however deep in the
   * call) belongs to it, and all of its writes land or none. A nested call becomes a savepoint.
   * `serialized` transactions also run one at a time across every server on the database (startup
   * work that reads, then writes what it did not find).
   */
  transaction<T>(fn: () => Promise<T>, options?: { serialized?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** `?, ?, ?` for a list of `n` values (`IN (...)`). */
export function placeholders(n: number): string {
  return n === 0 ? 'NULL' : new Array(n).fill('?').join(', ');
}

const code = (e: unknown): string | undefined => {
  const c = (e as { code?: unknown })?.code;
  return typeof c === 'string' ? c : undefined;
};

/**
 * The database could not take the request for now, and nothing of it was written: SQLite busy
 * past its timeout (another process held the write lock), or PostgreSQL out of reach, out of
 * connections, or ending a transaction for a deadlock or a lock timeout.
 */
export function isDatabaseBusy(e: unknown): boolean {
  const c = code(e);
  if (c === undefined) {
    return e instanceof DatabaseUnavailableError;
  }
  // PostgreSQL's own codes only: a refused connection arrives as DatabaseUnavailableError
  // (postgresStore.ts), and a bare ECONNREFUSED may come from Prometheus.
  return /^SQLITE_(BUSY|LOCKED)/.test(c) || ['40001', '40P01', '55P03', '57P01', '57P03', '08000', '08003', '08006'].includes(c);
}

/** A row with this key exists already (a unique index or primary key said no). */
export function isUniqueViolation(e: unknown): boolean {
  const c = code(e);
  return c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY' || c === '23505';
}

/** No connection to the database could be had in time. */
export class DatabaseUnavailableError extends Error {}
