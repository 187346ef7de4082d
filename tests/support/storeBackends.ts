// The server's stores against each database it supports: `describe.each(STORE_BACKENDS)` runs a
// test file's cases on SQLite (a file in a temp directory) and on a real PostgreSQL (a throwaway
// cluster, one new database per `open`). Missing PostgreSQL fails the PostgreSQL cases.

import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { openPostgres } from '../../src/server/storage/postgresStore';
import { openSqlite } from '../../src/server/storage/sqliteStore';
import { Store } from '../../src/server/storage/store';
import { PostgresServer } from './postgresServer';

export interface Backend {
  name: 'sqlite' | 'postgres';
  /** Call in beforeAll/afterAll of the describe block (starts and stops PostgreSQL). */
  setUp(): Promise<void>;
  tearDown(): Promise<void>;
  /** A new, empty database, migrated. */
  open(): Promise<Store>;
  /** What two servers sharing one new, migrated database have: on PostgreSQL two pools of
   * connections; on SQLite the one connection a process has, twice (a second connection in the
   * same process would wait for the first synchronously, holding the event loop the first needs
   * to finish: two processes on one file are tests/reliability/twoServers.test.ts). */
  openTwo(): Promise<[Store, Store]>;
  /** Where a server would find a new, empty database: its dbPath and databaseUrl. */
  config(): Promise<{ dbPath: string; databaseUrl?: string }>;
}

const newFile = () => join(mkdtempSync(join(tmpdir(), 'store-')), 'burnrate.db');

export function sqliteBackend(): Backend {
  return {
    name: 'sqlite',
    setUp: async () => undefined,
    tearDown: async () => undefined,
    open: () => openSqlite(newFile()),
    openTwo: async () => {
      const db = await openSqlite(newFile());
      return [db, db];
    },
    config: async () => ({ dbPath: newFile() }),
  };
}

export function postgresBackend(): Backend {
  const server = new PostgresServer();
  return {
    name: 'postgres',
    setUp: () => server.start(),
    tearDown: () => server.stop(),
    open: async () => openPostgres(await server.createDatabase()),
    openTwo: async () => {
      const url = await server.createDatabase();
      return [await openPostgres(url), await openPostgres(url)];
    },
    config: async () => ({ dbPath: newFile(), databaseUrl: await server.createDatabase() }),
  };
}

/** For `describe.each(storeBackends())('... (%s)', ...)`: each row is [name, backend]. */
export function storeBackends(): Array<[string, Backend]> {
  return [sqliteBackend(), postgresBackend()].map((b) => [b.name, b]);
}
