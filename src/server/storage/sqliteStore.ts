// SQLite storage (better-sqlite3, one file, WAL). better-sqlite3 answers synchronously; this wraps
// it in the async Store interface. One connection serves the whole process, so while a transaction
// is open every query from outside it waits for its end: otherwise a request could read another's
// uncommitted writes, or run its statements inside another's transaction.

import { AsyncLocalStorage } from 'async_hooks';
import Database from 'better-sqlite3';
import { prepareDbFile } from '../dbFiles';
import { migrate } from './migrations';
import { Store } from './store';

export type Db = Database.Database;

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  /** The transaction the current async call chain is in (its savepoint depth; `active` turns
   * false at its end, for work it started and did not await). */
  private readonly tx = new AsyncLocalStorage<{ depth: number; active: boolean }>();
  /** Settles when the open transaction ends. */
  private open: Promise<void> | undefined;

  constructor(
    /** The better-sqlite3 handle (tests read the file through it). */
    readonly db: Db,
    readonly location: string
  ) {}

  private inside(): boolean {
    return this.tx.getStore()?.active === true;
  }

  /** Runs `f` once no other chain's transaction is open. The check and `f` run in one turn, so
   * no transaction can begin between them. */
  private async when<T>(f: () => T): Promise<T> {
    while (this.open && !this.inside()) {
      await this.open;
    }
    return f();
  }

  all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return this.when(() => this.db.prepare(sql).all(...params) as T[]);
  }

  get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return this.when(() => this.db.prepare(sql).get(...params) as T | undefined);
  }

  run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return this.when(() => ({ changes: this.db.prepare(sql).run(...params).changes }));
  }

  exec(sql: string): Promise<void> {
    return this.when(() => void this.db.exec(sql));
  }

  /**
   * BEGIN IMMEDIATE takes the write lock when the transaction begins. Every transaction here may
   * write: a deferred one that reads first and then writes cannot wait for another process's
   * writer (SQLite answers SQLITE_BUSY at once, whatever the busy timeout), while an immediate one
   * waits up to the busy timeout. Every transaction takes the file's write lock, so `serialized`
   * needs nothing more.
   */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    const outer = this.tx.getStore();
    if (outer?.active) {
      const name = `sp${outer.depth + 1}`;
      const ctx = { depth: outer.depth + 1, active: true };
      this.db.exec(`SAVEPOINT ${name}`);
      try {
        const r = await this.tx.run(ctx, fn);
        this.db.exec(`RELEASE ${name}`);
        return r;
      } catch (e) {
        this.db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw e;
      } finally {
        ctx.active = false;
      }
    }
    while (this.open) {
      await this.open;
    }
    let end!: () => void;
    this.open = new Promise((resolve) => (end = resolve));
    const ctx = { depth: 0, active: true };
    try {
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const r = await this.tx.run(ctx, fn);
        this.db.exec('COMMIT');
        return r;
      } catch (e) {
        if (this.db.inTransaction) {
          this.db.exec('ROLLBACK');
        }
        throw e;
      }
    } finally {
      ctx.active = false;
      this.open = undefined;
      end();
    }
  }

  close(): Promise<void> {
    return this.when(() => void this.db.close());
  }
}

/**
 * Opens (or, unless `create` is false, makes) the database file and applies the migrations not
 * applied yet. The file holds token hashes and everyone's SLOs: it is made readable by its owner
 * only (dbFiles.ts).
 */
export async function openSqlite(path: string, options: { create?: boolean } = {}): Promise<SqliteStore> {
  prepareDbFile(path, options);
  const db = new Database(path);
  // Requests run the same few statements over and over: compile each once.
  const prepare = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let st = statements.get(sql);
    if (!st) {
      st = prepare(sql);
      statements.set(sql, st);
    }
    return st;
  }) as typeof db.prepare;
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  const store = new SqliteStore(db, path);
  try {
    await migrate(store);
  } catch (e) {
    db.close();
    throw e;
  }
  return store;
}
