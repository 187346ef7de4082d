// The parts of bench/serverScale.js that its figures rest on: which passes count as "during" a
// measurement, the load's minimum duration, and the throwaway PostgreSQL cluster (real).

import { existsSync } from 'fs';
import { createServer, Server } from 'http';
import { AddressInfo } from 'net';
import { Client } from 'pg';

/* eslint-disable @typescript-eslint/no-require-imports */
const { passesDuring } = require('../../bench/lib/passLoop');
const { load } = require('../../bench/lib/load');
const { startPostgres } = require('../../bench/lib/postgres');
/* eslint-enable @typescript-eslint/no-require-imports */

describe('passesDuring', () => {
  test('counts the passes that overlap the window and the share of it they cover', () => {
    const passes = [
      { t0: 0, t1: 100, status: 200 }, // ends before the window
      { t0: 100, t1: 300, status: 200 }, // 200..300 inside: 100 ms
      { t0: 300, t1: 350, status: 200 }, // inside: 50 ms
      { t0: 400, t1: 1000, status: 503 }, // 400..600 inside: 200 ms
      { t0: 1000, t1: 1100, status: 200 }, // starts after the window
    ];
    const d = passesDuring(passes, 200, 600);
    expect(d.passes).toBe(3);
    expect(d.windowMs).toBe(400);
    // 100 + 50 + 200 of 400 ms.
    expect(d.runningShare).toBe(0.875);
    expect(d.passMs).toEqual({ p50: 200, max: 600, min: 50 });
    expect(d.statuses).toEqual({ 200: 2, 503: 1 });
  });

  test('a window no pass overlaps', () => {
    expect(passesDuring([{ t0: 0, t1: 10, status: 200 }], 20, 30)).toMatchObject({
      passes: 0,
      passMs: null,
      runningShare: 0,
    });
  });
});

describe('load', () => {
  let server: Server;
  let url: string;
  beforeAll(async () => {
    server = createServer((req, res) => res.end(req.url));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((r) => server.close(r)));

  test('sends exactly the requests asked for without a minimum duration', async () => {
    const r = await load(url, 't', (i: number) => `/${i}`, { requests: 40, concurrency: 4 });
    expect(r.requests).toBe(40);
    expect(r.statuses).toEqual({ 200: 40 });
  });

  test('goes on past the requests asked for until the minimum duration', async () => {
    const t0 = performance.now();
    const r = await load(url, 't', () => '/', { requests: 5, concurrency: 2, minMs: 300 });
    expect(performance.now() - t0).toBeGreaterThanOrEqual(300);
    expect(r.requests).toBeGreaterThan(5);
  });
});

describe('startPostgres', () => {
  test('a cluster on 127.0.0.1 that takes a database, and leaves nothing behind', async () => {
    const pg = await startPostgres();
    let dir: string | undefined;
    try {
      const dbUrl = await pg.createDatabase('bench_check');
      const c = new Client({ connectionString: dbUrl });
      await c.connect();
      const r = await c.query(
        "SELECT current_database() AS db, inet_server_addr()::text AS addr, current_setting('data_directory') AS dir"
      );
      await c.end();
      expect(r.rows[0].db).toBe('bench_check');
      expect(r.rows[0].addr).toBe('127.0.0.1/32');
      dir = r.rows[0].dir;
      expect(existsSync(dir!)).toBe(true);
    } finally {
      await pg.stop();
    }
    expect(existsSync(dir!)).toBe(false);
  }, 120000);
});
