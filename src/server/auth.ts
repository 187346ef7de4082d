// Bearer tokens with roles. Tokens the server makes are 32 random bytes, shown once at creation.
// The database keeps only a keyed hash of each (tokenHash.ts): the same token is stored differently
// in every database, so a copy of one cannot be matched against hashes of known or default tokens.

import { timingSafeEqual } from 'crypto';
import { Store } from './storage/store';
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
  private constructor(
    private readonly db: Store,
    /** The database's token key (made by its migration, never changed). */
    private readonly key: Buffer
  ) {}

  static async open(db: Store): Promise<TokenStore> {
    return new TokenStore(db, (await db.get<{ key: Buffer }>('SELECT key FROM token_key WHERE id = 1'))!.key);
  }

  /** What the database keeps for a token. */
  stored(token: string): string {
    return keyedHash(this.key, tokenDigest(token));
  }

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM tokens'))!.n;
  }

  /** Creates a token and returns its secret; the secret is not kept. */
  async create(name: string, role: Role, secret = newToken()): Promise<string> {
    await this.db.run('INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)', [name, role, this.stored(secret), Date.now()]);
    return secret;
  }

  async list(): Promise<Array<{ id: number; name: string; role: Role; createdAt: number }>> {
    return (await this.db.all<{ id: number; name: string; role: Role; created_at: number }>('SELECT id, name, role, created_at FROM tokens ORDER BY id')).map(
      (r) => ({ id: r.id, name: r.name, role: r.role, createdAt: r.created_at })
    );
  }

  async revoke(name: string): Promise<boolean> {
    return (await this.db.run('DELETE FROM tokens WHERE name = ?', [name])).changes === 1;
  }

  /**
   * Makes the token named `name` be `secret` with `role` (a token the configuration gives, which
   * wins over what the database holds under that name). Refuses a secret another token already is.
   */
  async ensure(name: string, role: Role, secret: string): Promise<'created' | 'updated' | 'unchanged'> {
    const hash = this.stored(secret);
    const other = await this.db.get<{ name: string; role: Role }>('SELECT name, role FROM tokens WHERE hash = ? AND name != ?', [hash, name]);
    if (other) {
      throw new TokenError(`the token configured for ${name} is already the token named ${other.name} (${other.role}): give ${name} a token of its own`);
    }
    const row = await this.db.get<{ role: Role; hash: string }>('SELECT role, hash FROM tokens WHERE name = ?', [name]);
    if (!row) {
      await this.create(name, role, secret);
      return 'created';
    }
    if (row.role === role && row.hash === hash) {
      return 'unchanged';
    }
    await this.db.run('UPDATE tokens SET role = ?, hash = ? WHERE name = ?', [role, hash, name]);
    return 'updated';
  }

  /** The principal for an `Authorization: Bearer ...` header, if the token is known. */
  async authenticate(header: string | undefined): Promise<Principal | undefined> {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    return m ? this.findByToken(m[1]) : undefined;
  }

  /** The principal whose token is `token`, if any. */
  async findByToken(token: string): Promise<Principal | undefined> {
    const hash = this.stored(token);
    const row = await this.db.get<{ name: string; role: Role; hash: string }>('SELECT name, role, hash FROM tokens WHERE hash = ?', [hash]);
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) {
      return undefined;
    }
    return { name: row.name, role: row.role };
  }
}

/**
 * The tokens the configuration gives, stored at start in a serialized transaction (two servers
 * starting on one database do it once): the admin token when the database holds no admin token, and the Grafana
 * app's token, always, as `grafana` with the editor role: the app never holds more than editor
 * rights, so no Grafana user can mint tokens through it.
 */
export async function storeConfiguredTokens(db: Store, tokens: TokenStore, config: { bootstrapAdminToken?: string; grafanaToken?: string }, log: Logger): Promise<void> {
  const { bootstrapAdminToken: admin, grafanaToken: grafana } = config;
  await db.transaction(
    async () => {
      if (admin && !(await db.get("SELECT 1 FROM tokens WHERE role = 'admin'"))) {
        await tokens.create('admin', 'admin', admin);
        log.info('created the admin token from the configuration (BURNRATE_ADMIN_TOKEN)');
      }
      if (grafana) {
        const done = await tokens.ensure('grafana', 'editor', grafana);
        if (done !== 'unchanged') {
          log.info(`${done} the Grafana app's token (named grafana, role editor) from the configuration (BURNRATE_GRAFANA_TOKEN)`);
        }
      }
    },
    { serialized: true }
  );
  const published = await tokens.findByToken(PUBLISHED_DEFAULT_TOKEN);
  if (published) {
    log.warn(`the token named ${published.name} (${published.role}) is the default admin token of earlier compose stacks, published in this repository: revoke it (DELETE /api/v1/tokens/${published.name})`);
  }
  if ((await tokens.count()) === 0) {
    log.warn('no API tokens exist: set BURNRATE_ADMIN_TOKEN, or run `burnrate token create`, before using the API');
  }
}
