// PostgreSQL storage (the `pg` driver, a pool of connections), for several servers on one
// database. Queries arrive with SQLite's `?` placeholders and are numbered ($1, $2, ...) here: no
// query of the server has a `?` inside a string literal. Transactions run at READ COMMITTED: every
// write that depends on what it read says so in its WHERE (`AND version = ?`), so of two servers
// changing one SLO the second changes nothing and answers 412, as on SQLite.

import { AsyncLocalStorage } from 'async_hooks';
import { Client, Pool, PoolClient, types } from 'pg';
import { migrate } from './migrations';
import { DatabaseUnavailableError, Store } from './store';

/** Key of the advisory lock that serialized transactions take (any number of this server's own). */
const SERIALIZED_LOCK = 7_146_325_001;

/** BIGINT (times in milliseconds, ids, COUNT(*)) as a number: every value here fits in 2^53. */
const parseTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === types.builtins.INT8 ? Number : types.getTypeParser(oid, format))) as typeof types.getTypeParser,
};

export function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** The URL without its password, for logs and errors. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return '(a URL that does not parse)';
  }
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly tx = new AsyncLocalStorage<{ client: PoolClient; depth: number; active: boolean }>();

  constructor(
    readonly pool: Pool,
    readonly location: string,
    private readonly url: string
  ) {}

  /** A connection of its own, outside the pool (the leader election holds its lock on one). */
  dedicatedClient(): Client {
    return new Client({ connectionString: this.url, connectionTimeoutMillis: 10_000, keepAlive: true, types: parseTypes, application_name: 'burnrate-leader' });
  }

  private client(): Pool | PoolClient {
    const t = this.tx.getStore();
    return t?.active ? t.client : this.pool;
  }

  private async query(sql: string, params: unknown[]) {
    try {
      return await this.client().query(numbered(sql), params);
    } catch (e) {
      throw unavailable(e, this.location);
    }
  }

  async all<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async get<T>(sql: string, params: unknown[] = []): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async run(sql: string, params: unknown[] = []): Promise<{ changes: number }> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  async exec(sql: string): Promise<void> {
    try {
      // Without parameters the driver sends the text as one simple query: several statements run.
      await this.client().query(sql);
    } catch (e) {
      throw unavailable(e, this.location);
    }
  }

  async transaction<T>(fn: () => Promise<T>, options: { serialized?: boolean } = {}): Promise<T> {
    const outer = this.tx.getStore();
    if (outer?.active) {
      const name = `sp${outer.depth + 1}`;
      const ctx = { client: outer.client, depth: outer.depth + 1, active: true };
      await outer.client.query(`SAVEPOINT ${name}`);
      try {
        const r = await this.tx.run(ctx, fn);
        await outer.client.query(`RELEASE SAVEPOINT ${name}`);
        return r;
      } catch (e) {
        await outer.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
        throw e;
      } finally {
        ctx.active = false;
      }
    }
    let client: PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw unavailable(e, this.location);
    }
    const ctx = { client, depth: 0, active: true };
    let broken = false;
    try {
      await client.query('BEGIN');
      if (options.serialized) {
        await client.query('SELECT pg_advisory_xact_lock($1)', [SERIALIZED_LOCK]);
      }
      const r = await this.tx.run(ctx, fn);
      await client.query('COMMIT');
      return r;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw unavailable(e, this.location);
    } finally {
      ctx.active = false;
      // A connection that could not even roll back is dropped, not handed to the next request.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** A connection error as one that names the database and the variable that chose it. */
function unavailable(e: unknown, location: string): unknown {
  const code = (e as { code?: unknown })?.code;
  const message = (e as Error)?.message ?? String(e);
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(message) || (typeof code === 'string' && /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH)$/.test(code))) {
    return new DatabaseUnavailableError(`PostgreSQL at ${location} (BURNRATE_DATABASE_URL) cannot be reached: ${message}`);
  }
  return e;
}

/** Connects to the database `url` names and applies the migrations not applied yet. A URL that
 * does not parse, or a database that does not answer, is an error naming BURNRATE_DATABASE_URL. */
export async function openPostgres(url: string, options: { poolSize?: number; connectTimeoutMs?: number } = {}): Promise<PostgresStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new DatabaseUnavailableError('BURNRATE_DATABASE_URL is not a URL: give postgres://user:password@host:5432/database');
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new DatabaseUnavailableError(`BURNRATE_DATABASE_URL must start with postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  const location = redactUrl(url);
  const pool = new Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    types: parseTypes,
    application_name: 'burnrate',
  });
  // An idle connection the server drops (a restart, a failover) is an error event on the pool:
  // without a listener it would end the process. The pool replaces it on the next query.
  pool.on('error', () => undefined);
  const store = new PostgresStore(pool, location, url);
  try {
    await store.get('SELECT 1');
    await migrate(store);
  } catch (e) {
    await pool.end().catch(() => undefined);
    if (e instanceof DatabaseUnavailableError) {
      throw e;
    }
    throw new DatabaseUnavailableError(`PostgreSQL at ${location} (BURNRATE_DATABASE_URL): ${(e as Error).message}`);
  }
  return store;
}
