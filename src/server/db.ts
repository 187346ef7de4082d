// SQLite storage (better-sqlite3, one file, WAL). Migrations run in order at start, each in a
// transaction, and are recorded so a restart applies only new ones. The file holds token hashes
// and everyone's SLOs: it is made readable by its owner only (dbFiles.ts).

import Database from 'better-sqlite3';
import { prepareDbFile } from './dbFiles';
import { keyedHash, newTokenKey } from './tokenHash';

export type Db = Database.Database;

/** SQL, or a function for what SQL cannot do (such as an HMAC). */
type Migration = string | ((db: Db) => void);

const MIGRATIONS: Migration[] = [
  `CREATE TABLE slos (
     service TEXT NOT NULL,
     name TEXT NOT NULL,
     spec TEXT NOT NULL,
     version INTEGER NOT NULL,
     source TEXT NOT NULL DEFAULT 'api',
     source_path TEXT,
     team TEXT,
     created_at INTEGER NOT NULL,
     updated_at INTEGER NOT NULL,
     updated_by TEXT NOT NULL,
     PRIMARY KEY (service, name)
   );
   CREATE TABLE audit (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     actor TEXT NOT NULL,
     action TEXT NOT NULL,
     target TEXT NOT NULL,
     detail TEXT
   );
   CREATE INDEX audit_target ON audit (target, id);
   CREATE TABLE tokens (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     name TEXT NOT NULL UNIQUE,
     role TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
     hash TEXT NOT NULL UNIQUE,
     created_at INTEGER NOT NULL
   );
   CREATE TABLE actions (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     kind TEXT NOT NULL CHECK (kind IN ('freeze', 'override')),
     service TEXT NOT NULL,
     route TEXT,
     reason TEXT NOT NULL,
     expires_at INTEGER NOT NULL,
     created_by TEXT NOT NULL,
     created_at INTEGER NOT NULL,
     revoked_at INTEGER
   );
   CREATE TABLE sync_state (
     service TEXT NOT NULL,
     name TEXT NOT NULL,
     target TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('pending', 'in-sync', 'failed')),
     reason TEXT,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (service, name, target)
   );`,
  // The version of the SLO a sync state is about: a state recorded for version 1 says nothing
  // about version 2.
  `ALTER TABLE sync_state ADD COLUMN version INTEGER;`,
  // Tokens were kept as their plain SHA-256, the same in every database: now keyed with a random
  // key of this database (tokenHash.ts). Existing rows are rehashed, so their tokens keep working.
  (db) => {
    db.exec('CREATE TABLE token_key (id INTEGER PRIMARY KEY CHECK (id = 1), key BLOB NOT NULL)');
    const key = newTokenKey();
    db.prepare('INSERT INTO token_key (id, key) VALUES (1, ?)').run(key);
    for (const r of db.prepare('SELECT id, hash FROM tokens').all() as Array<{ id: number; hash: string }>) {
      db.prepare('UPDATE tokens SET hash = ? WHERE id = ?').run(keyedHash(key, r.hash), r.id);
    }
  },
];

export function openDb(path: string, options: { create?: boolean } = {}): Db {
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
  migrate(db);
  return db;
}

/**
 * Runs `fn` in a transaction that takes the write lock when it begins (BEGIN IMMEDIATE). Every
 * transaction that writes uses this: a deferred one that reads first and then writes cannot wait
 * for another process's writer (SQLite answers SQLITE_BUSY at once, whatever the busy timeout),
 * while an immediate one waits up to the busy timeout. Nested calls become savepoints.
 */
export function writeTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** SQLITE_BUSY and its variants: another connection held the database past the busy timeout. */
export function isDatabaseBusy(e: unknown): boolean {
  return typeof (e as { code?: unknown })?.code === 'string' && /^SQLITE_(BUSY|LOCKED)/.test((e as { code: string }).code);
}

/** Applies the migrations not applied yet, up to `upTo` (all by default; tests of an upgrade stop
 * at an older version). */
export function migrate(db: Db, upTo = MIGRATIONS.length): number {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)');
  let applied = 0;
  MIGRATIONS.slice(0, upTo).forEach((migration, i) => {
    const version = i + 1;
    // Checked inside the write lock: two servers starting on one file apply each migration once.
    writeTransaction(db, () => {
      if (db.prepare('SELECT 1 FROM schema_migrations WHERE version = ?').get(version)) {
        return;
      }
      if (typeof migration === 'string') {
        db.exec(migration);
      } else {
        migration(db);
      }
      db.prepare('INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)').run(version, Date.now());
      applied++;
    });
  });
  return applied;
}
