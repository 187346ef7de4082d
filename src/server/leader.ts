// Which server runs the background loops (rule delivery, history backfill, the GitOps folder) when
// several share one PostgreSQL database: the one holding a session advisory lock. The lock is held
// on a connection of its own; PostgreSQL releases it when that connection ends, so when the leader
// dies (even by SIGKILL: the kernel closes its socket) another server takes it on its next try.
// Every server answers the API. On SQLite each server is its own leader, as before replicas.

import { Client } from 'pg';
import { Logger } from './log';
import { PostgresStore } from './storage/postgresStore';
import { Store } from './storage/store';

/** The advisory lock's key (a number of this server's own; the serialized transactions use another). */
const LEADER_LOCK = 7_146_325_002;

type Listener = (leader: boolean) => void | Promise<void>;

export interface Leadership {
  isLeader(): boolean;
  /** Why this server cannot tell whether it leads (its election connection is down), if so. */
  problem(): string | undefined;
  /** Called with true on becoming leader, with false on stepping down (the start awaits it). */
  onChange(fn: Listener): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function leadershipFor(store: Store, log: Logger, options: { retryMs?: number } = {}): Leadership {
  return store instanceof PostgresStore ? new AdvisoryLockLeadership(() => store.dedicatedClient(), log, options.retryMs) : new SoleLeadership();
}

/** One server on its own database: always the leader. */
class SoleLeadership implements Leadership {
  private listeners: Listener[] = [];
  isLeader = () => true;
  problem = () => undefined;
  onChange(fn: Listener): void {
    this.listeners.push(fn);
  }
  async start(): Promise<void> {
    for (const fn of this.listeners) {
      await fn(true);
    }
  }
  async stop(): Promise<void> {}
}

export class AdvisoryLockLeadership implements Leadership {
  private client?: Client;
  private leader = false;
  private trouble?: string = 'not connected yet';
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private listeners: Listener[] = [];
  private busy = false;

  constructor(
    private readonly connect: () => Client,
    private readonly log: Logger,
    /** How often a follower tries to take the lock, and the leader checks its connection. */
    private readonly retryMs = 1000
  ) {}

  isLeader(): boolean {
    return this.leader;
  }

  problem(): string | undefined {
    return this.trouble;
  }

  onChange(fn: Listener): void {
    this.listeners.push(fn);
  }

  async start(): Promise<void> {
    await this.tick();
    this.timer = setInterval(() => void this.tick(), this.retryMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.set(false);
    // Ending the connection releases the lock at once: another server takes over on its next try.
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }

  private async set(leader: boolean): Promise<void> {
    if (leader !== this.leader) {
      this.leader = leader;
      this.log.info(leader ? 'this server is the leader: it runs rule delivery, history backfill and the GitOps folder' : 'this server is not the leader (any more)');
      for (const fn of this.listeners) {
        try {
          await fn(leader);
        } catch (e) {
          this.log.error('leader election: a loop could not be started or stopped', { error: (e as Error).message });
        }
      }
    }
  }

  /** Drops the connection and with it leadership (a leader that cannot reach the database must
   * not keep delivering: another server may hold the lock by now). */
  private lost(reason: string): void {
    const c = this.client;
    this.client = undefined;
    c?.removeAllListeners('error');
    c?.on('error', () => undefined);
    void c?.end().catch(() => undefined);
    if (this.trouble !== reason) {
      this.log.warn('leader election: the connection to the database failed', { error: reason });
    }
    this.trouble = reason;
    void this.set(false);
  }

  /** One try: connect if needed; the leader checks its connection, a follower tries the lock. */
  private async tick(): Promise<void> {
    if (this.busy || this.stopped) {
      return;
    }
    this.busy = true;
    let fresh: Client | undefined;
    try {
      if (!this.client) {
        const c = (fresh = this.connect());
        c.on('error', (e) => this.client === c && this.lost(e.message));
        c.on('end', () => this.client === c && this.lost('the connection ended'));
        await c.connect();
        if (this.stopped) {
          await c.end();
          return;
        }
        this.client = c;
      }
      const c = this.client;
      if (this.leader) {
        await c.query('SELECT 1');
      } else {
        const r = await c.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
        if (this.stopped) {
          return;
        }
        this.trouble = undefined;
        await this.set(r.rows[0].ok);
      }
      this.trouble = undefined;
    } catch (e) {
      if (fresh && this.client !== fresh) {
        fresh.on('error', () => undefined);
        void fresh.end().catch(() => undefined);
      }
      this.lost((e as Error).message);
    } finally {
      this.busy = false;
    }
  }
}
