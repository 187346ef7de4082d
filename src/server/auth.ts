// Bearer tokens with roles. Tokens are 32 random bytes shown once at creation; only their SHA-256
// is stored (a fast hash is enough for high-entropy secrets, unlike passwords).

import { createHash, randomBytes, timingSafeEqual } from 'crypto';
import { Db } from './db';

export type Role = 'viewer' | 'editor' | 'admin';
const RANK: Record<Role, number> = { viewer: 1, editor: 2, admin: 3 };

export interface Principal {
  name: string;
  role: Role;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newToken(): string {
  return 'brt_' + randomBytes(32).toString('base64url');
}

export function allows(p: Principal, needed: Role): boolean {
  return RANK[p.role] >= RANK[needed];
}

export class TokenStore {
  constructor(private readonly db: Db) {}

  count(): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM tokens').get() as { n: number }).n;
  }

  /** Creates a token and returns its secret; the secret is not kept. */
  create(name: string, role: Role, secret = newToken()): string {
    this.db.prepare('INSERT INTO tokens (name, role, hash, created_at) VALUES (?, ?, ?, ?)').run(name, role, hashToken(secret), Date.now());
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

  /** The principal for an `Authorization: Bearer ...` header, if the token is known. */
  authenticate(header: string | undefined): Principal | undefined {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
    if (!m) {
      return undefined;
    }
    const hash = hashToken(m[1]);
    const row = this.db.prepare('SELECT name, role, hash FROM tokens WHERE hash = ?').get(hash) as { name: string; role: Role; hash: string } | undefined;
    if (!row || !timingSafeEqual(Buffer.from(row.hash), Buffer.from(hash))) {
      return undefined;
    }
    return { name: row.name, role: row.role };
  }
}
