// Bearer tokens with roles. Tokens the server makes are 32 random bytes, shown once at creation.
// The database keeps only a keyed hash of each (tokenHash.ts): the same token is stored differently
// in every database, so a copy of one cannot be matched against hashes of known or default tokens.

import { timingSafeEqual } from 'crypto';
import { Db, writeTransaction } from './db';
import { Logger } from './log';
import { keyedHash, newToken, tokenDigest } from './tokenHash';

export type Role = 'viewer' | 'editor' | 'admin';
const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

export interface Principal {
  name: string;
  role: Role;
}

export function allows(p: Principal, needed: Role): boolean {
  return RANK[p.role] >= RANK[needed];
}

export class TokenError extends Error {}

/** docker-compose.yaml's default admin token before each stack made its own. */
const PUBLISHED_DEFAULT_TOKEN = 'burnrate-demo-token-change-me';

export class TokenStore {
  /** The database's token key (made by its migration, never changed). */
  private readonly key: Buffer;

  constructor(private readonly db: Db) {
    this.key = (db.prepare('SELECT key FROM token_key WHERE id = 1').get() as { key: Buffer }).key;
  }

  /** What the database keeps for a token. */
  stored(token: string): string {
    return keyedHash(this.key, tokenDigest(token));
  }

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM tokens').get() as { n: number }).n;
  }

  /** Creates a token and returns its secret; the secret is not kept. */
  create(name: string, role: Role, secret = newToken()): string {
    this.db.prepare('INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, this.stored(secret), Date.now());
    return secret;
  }

  list(): Array<{ id: number; name: string; role: Role; createdAt: number }> {
    return (this.db.prepare('SELECT id, name, role, created_at FROM tokens ORDER BY id').all() as Array<{ id: number; name: string; role: Role; created_at: number }>).map(
      (r) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at })
    );
  }

  revoke(name: string): boolean {
    return this.db.prepare('DELETE FROM tokens WHERE name = ?').run(name).changes === 1;
  }

  /**
   * Makes the token named `name` be `secret` with `role` (a token the configuration gives, which
   * wins over what the database holds under that name). Refuses a secret another token already is.
   */
  ensure(name: string, role: Role, secret: string): 'created' | 'updated' | 'unchanged' {
    const hash = this.stored(secret);
    const other = this.db.prepare('SELECT name, role FROM tokens WHERE hash = ? AND name != ?').get(hash, name) as { name: string; role: Role } | undefined;
    if (other) {
      throw new TokenError(`the token configured for ${name} is already the token named ${other.name} (${other.role}): give ${name} a token of its own`);
    }
    const row = this.db.prepare('SELECT role, hash FROM tokens WHERE name = ?').get(name) as { role: Role; hash: string } | undefined;
    if (!row) {
      this.create(name, role, secret);
      return 'created';
    }
    if (row.role === role && row.hash === hash) {
      return 'unchanged';
    }
    this.db.prepare('UPDATE tokens SET role = ?, hash = ? WHERE name = ?').run(role, hash, name);
    return 'updated';
  }

  /** The principal for an `Authorization: Bearer ...` header, if the token is known. */
  authenticate(header: string | undefined): Principal | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m ? this.findByToken(m[1]) : undefined;
  }

  /** The principal whose token is `token`, if any. */
  findByToken(token: string): Principal | undefined {
    const hash = this.stored(token);
    const row = this.db.prepare('SELECT name, role, hash FROM tokens WHERE hash = ?').get(hash) as { name: string; role: Role; hash: string } | undefined;
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) {
      return undefined;
    }
    return { name: row.name, role: row.role };
  }
}

/**
 * The tokens the configuration gives, stored at start inside the write lock (two servers starting
 * on one file do it once): the admin token when the database holds no admin token, and the Grafana
 * app's token, always, as `grafana` with the editor role: the app never holds more than editor
 * rights, so no Grafana user can mint tokens through it.
 */
export function storeConfiguredTokens(db: Db, tokens: TokenStore, config: { bootstrapAdminToken?: string; grafanaToken?: string }, log: Logger): void {
  const { bootstrapAdminToken: admin, grafanaToken: grafana } = config;
  writeTransaction(db, () => {
    if (admin && !db.prepare("SELECT 1 FROM tokens WHERE role = 'admin'").get()) {
      tokens.create('admin', 'admin', admin);
      log.info('created the admin token from the configuration (BURNRATE_ADMIN_TOKEN)');
    }
    if (grafana) {
      const done = tokens.ensure('grafana', 'editor', grafana);
      if (done !== 'unchanged') {
        log.info(`${done} the Grafana app's token (named grafana, role editor) from the configuration (BURNRATE_GRAFANA_TOKEN)`);
      }
    }
  });
  const published = tokens.findByToken(PUBLISHED_DEFAULT_TOKEN);
  if (published) {
    log.warn(`the token named ${published.name} (${published.role}) is the default admin token of earlier compose stacks, published in this repository: revoke it (DELETE /api/v1/tokens/${published.name})`);
  }
  if (tokens.count() === 0) {
    log.warn('no API tokens exist: set BURNRATE_ADMIN_TOKEN, or run `burnrate token create`, before using the API');
  }
}
