// The store against each real database (a SQLite file, a PostgreSQL cluster): paging, filters,
// concurrent edits, and that the parse cache never serves a definition other than the stored one.

import { validateSloObject } from '../../src/core/spec/sloObject';
import { Store } from '../../src/server/storage/store';
import { SloStore, StoreError } from '../../src/server/sloStore';
import { storeBackends } from '../support/storeBackends';

function put(store: SloStore, service: string, name: string, objective: number, team = 'core') {
  const spec = {
    service,
    name,
    objective,
    labels: { team },
    sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } },
  };
  const r = validateSloObject(spec);
  if (!r.slo) {
    throw new Error(JSON.stringify(r.diagnostics));
  }
  return store.create(spec, r.slo, 'test');
}

function names(items: Array<{ service: string; name: string }>): string[] {
  return items.map((s) => `${s.service}/${s.name}`);
}

describe.each(storeBackends())('SloStore on %s', (_, backend) => {
  const opened: Store[] = [];
  const open = async () => {
    const db = await backend.open();
    opened.push(db);
    return db;
  };
  /** Two connections to one new database: what two servers sharing it have. */
  const openTwo = async () => {
    const dbs = await backend.openTwo();
    opened.push(...dbs);
    return dbs;
  };
  beforeAll(() => backend.setUp(), 120_000);
  afterAll(async () => {
    await Promise.all([...new Set(opened)].map((db) => db.close()));
    await backend.tearDown();
  }, 60_000);

  test('pages in service/name order with the total of all matching SLOs', async () => {
    const store = new SloStore(await open());
    for (const [svc, name, team] of [
      ['b', 'x', 'core'],
      ['a', 'z', 'edge'],
      ['a', 'y', 'core'],
      ['c', 'w', 'edge'],
    ]) {
      await put(store, svc, name, 0.99, team);
    }
    expect(await store.list({ limit: 2 })).toMatchObject({ total: 4 });
    expect(names((await store.list({ limit: 2 })).items)).toEqual(['a/y', 'a/z']);
    expect(names((await store.list({ limit: 2, offset: 2 })).items)).toEqual(['b/x', 'c/w']);
    expect(names((await store.list({ offset: 10 })).items)).toEqual([]);
    expect(await store.list({ team: 'edge', limit: 1 })).toMatchObject({ total: 2 });
    expect(names((await store.list({ team: 'edge', limit: 1, offset: 1 })).items)).toEqual(['c/w']);
    expect(names((await store.list({ service: 'a' })).items)).toEqual(['a/y', 'a/z']);
    // Label and text filters page after filtering too.
    const byLabel = await store.list({ label: 'team=core', limit: 1, offset: 1 });
    expect(byLabel.total).toBe(2);
    expect(names(byLabel.items)).toEqual(['b/x']);
    expect(names((await store.list({ q: 'Z' })).items)).toEqual(['a/z']);
    // The gate and export read a whole service (or everything), past the default page of 100.
    for (let i = 0; i < 120; i++) {
      await put(store, 'd', `s${String(i).padStart(3, '0')}`, 0.99);
    }
    expect((await store.byService('d')).length).toBe(120);
    expect(names(await store.byService('a'))).toEqual(['a/y', 'a/z']);
    expect((await store.byService(undefined)).length).toBe(124);
    expect(await store.byService('nope')).toEqual([]);
  });

  test('a deleted and re-created SLO (version 1 again) is read with its new definition', async () => {
    const store = new SloStore(await open());
    expect((await put(store, 'a', 'x', 0.99)).slo.objective).toBe(0.99);
    expect((await store.get('a', 'x'))!.slo.objective).toBe(0.99);
    await store.delete('a', 'x', 1, 'test');
    const again = await put(store, 'a', 'x', 0.95);
    expect(again.version).toBe(1);
    expect(again.slo.objective).toBe(0.95);
    expect((await store.get('a', 'x'))!.spec.objective).toBe(0.95);
    expect((await store.list({})).items[0].slo.objective).toBe(0.95);
  });

  test('reads of an unchanged SLO share one parsed definition', async () => {
    const store = new SloStore(await open());
    await put(store, 'a', 'x', 0.99);
    expect((await store.get('a', 'x'))!.slo).toBe((await store.list({})).items[0].slo);
  });

  test('allInPages reads every SLO once, in order, across page boundaries (also where a service spans pages)', async () => {
    const store = new SloStore(await open());
    // 3 services x 7 SLOs = 21 rows in pages of 5: pages end inside services.
    for (const svc of ['s1', 's2', 's3']) {
      for (let i = 0; i < 7; i++) {
        await put(store, svc, `n${i}`, 0.99);
      }
    }
    expect(names(await store.allInPages(5))).toEqual(names(await store.all()));
    expect((await store.allInPages(5)).length).toBe(21);
    expect(names(await store.allInPages(21))).toEqual(names(await store.all()));
    expect(await store.countBySource()).toEqual({ api: 21, git: 0 });
  });

  test('two servers editing one SLO at once: one edit lands, the other is refused with 412, none is lost silently', async () => {
    const [a, b] = (await openTwo()).map((db) => new SloStore(db));
    await put(a, 'shop', 'checkout', 0.99);
    const edit = (store: SloStore, objective: number) => {
      const spec = { service: 'shop', name: 'checkout', objective, labels: { team: 'core' }, sli: { ratio: { errors: 'req_total{code=~"5.."}', total: 'req_total' } } };
      return store.update('shop', 'checkout', spec, validateSloObject(spec).slo!, 1, 'test');
    };
    // 10 rounds of two edits of version 1 each: every round exactly one wins.
    for (let round = 0; round < 10; round++) {
      const results = await Promise.allSettled([edit(a, 0.9 + round / 100), edit(b, 0.95)]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0].reason).toBeInstanceOf(StoreError);
      expect((lost[0].reason as StoreError).status).toBe(412);
      expect((await b.get('shop', 'checkout'))!.version).toBe(2);
      // Back to version 1 for the next round: delete and create again.
      await a.delete('shop', 'checkout', 2, 'test');
      await put(a, 'shop', 'checkout', 0.99);
    }
    // One audit entry per landed change: 10 rounds x (update + delete + create), and the first create.
    expect(await a.auditLog('shop/checkout', 1000)).toHaveLength(31);
  });

  test('two servers creating one SLO at once: one 201, one 409', async () => {
    const [a, b] = (await openTwo()).map((db) => new SloStore(db));
    const results = await Promise.allSettled([put(a, 'shop', 'cart', 0.99), put(b, 'shop', 'cart', 0.98)]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
    expect((lost.reason as StoreError).status).toBe(409);
  });

  test('a transaction that fails writes nothing; a nested one that fails undoes only its own writes', async () => {
    const store = new SloStore(await open());
    await expect(
      store.transaction(async () => {
        await put(store, 'x', 'one', 0.99);
        throw new Error('stop');
      })
    ).rejects.toThrow('stop');
    expect(await store.get('x', 'one')).toBeUndefined();
    await store.transaction(async () => {
      await put(store, 'x', 'two', 0.99);
      await expect(store.transaction(async () => put(store, 'x', 'two', 0.98))).rejects.toMatchObject({ status: 409 });
      await put(store, 'x', 'three', 0.99);
    });
    expect(names(await store.all())).toEqual(['x/three', 'x/two']);
    expect((await store.auditLog(undefined, 100)).map((e) => e.target)).toEqual(['x/three', 'x/two']);
  });

  test('lists sort by code point on both databases (upper case before lower, "-" before "_")', async () => {
    const store = new SloStore(await open());
    for (const svc of ['b', 'B', 'a_x', 'a-x', 'a']) {
      await put(store, svc, 'n', 0.99);
    }
    expect(await store.services()).toEqual(['B', 'a', 'a-x', 'a_x', 'b']);
  });
});
