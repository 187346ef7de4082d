// Which database the server uses: PostgreSQL when BURNRATE_DATABASE_URL is set (several servers
// may share it), else the SQLite file at BURNRATE_DB.

import { openPostgres } from './postgresStore';
import { openSqlite } from './sqliteStore';
import { Store } from './store';

export function openStore(config: { dbPath: string; databaseUrl?: string }, options: { create?: boolean } = {}): Promise<Store> {
  return config.databaseUrl ? openPostgres(config.databaseUrl) : openSqlite(config.dbPath, options);
}
