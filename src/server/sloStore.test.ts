// The store against a real SQLite database in memory: paging, filters, and that the parse cache
// never serves a definition other than the stored one.

import { validateSloObject } from '../core/spec/sloObject';
import { openDb } from './db';
import { SloStore } from './sloStore';

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

test('pages in service/name order with the total of all matching SLOs', () => {
  const store = new SloStore(openDb(':memory:'));
  for (const [svc, name, team] of [
    ['b', 'x', 'core'],
    ['a', 'z', 'edge'],
    ['a', 'y', 'core'],
    ['c', 'w', 'edge'],
  ]) {
    put(store, svc, name, 0.99, team);
  }
  expect(store.list({ limit: 2 })).toMatchObject({ total: 4 });
  expect(names(store.list({ limit: 2 }).items)).toEqual(['a/y', 'a/z']);
  expect(names(store.list({ limit: 2, offset: 2 }).items)).toEqual(['b/x', 'c/w']);
  expect(names(store.list({ offset: 10 }).items)).toEqual([]);
  expect(store.list({ team: 'edge', limit: 1 })).toMatchObject({ total: 2 });
  expect(names(store.list({ team: 'edge', limit: 1, offset: 1 }).items)).toEqual(['c/w']);
  expect(names(store.list({ service: 'a' }).items)).toEqual(['a/y', 'a/z']);
  // Label and text filters page after filtering too.
  const byLabel = store.list({ label: 'team=core', limit: 1, offset: 1 });
  expect(byLabel.total).toBe(2);
  expect(names(byLabel.items)).toEqual(['b/x']);
  expect(names(store.list({ q: 'Z' }).items)).toEqual(['a/z']);
  // The gate and export read a whole service (or everything), past the default page of 100.
  for (let i = 0; i < 120; i++) {
    put(store, 'd', `s${String(i).padStart(3, '0')}`, 0.99);
  }
  expect(store.byService('d').length).toBe(120);
  expect(names(store.byService('a'))).toEqual(['a/y', 'a/z']);
  expect(store.byService(undefined).length).toBe(124);
  expect(store.byService('nope')).toEqual([]);
});

test('a deleted and re-created SLO (version 1 again) is read with its new definition', () => {
  const store = new SloStore(openDb(':memory:'));
  expect(put(store, 'a', 'x', 0.99).slo.objective).toBe(0.99);
  expect(store.get('a', 'x')!.slo.objective).toBe(0.99);
  store.delete('a', 'x', 1, 'test');
  const again = put(store, 'a', 'x', 0.95);
  expect(again.version).toBe(1);
  expect(again.slo.objective).toBe(0.95);
  expect(store.get('a', 'x')!.spec.objective).toBe(0.95);
  expect(store.list({}).items[0].slo.objective).toBe(0.95);
});

test('reads of an unchanged SLO share one parsed definition', () => {
  const store = new SloStore(openDb(':memory:'));
  put(store, 'a', 'x', 0.99);
  expect(store.get('a', 'x')!.slo).toBe(store.list({}).items[0].slo);
});

test('allInPages reads every SLO once, in order, across page boundaries (also where a service spans pages)', async () => {
  const store = new SloStore(openDb(':memory:'));
  // 3 services x 7 SLOs = 21 rows in pages of 5: pages end inside services.
  for (const svc of ['s1', 's2', 's3']) {
    for (let i = 0; i < 7; i++) {
      put(store, svc, `n${i}`, 0.99);
    }
  }
  expect(names(await store.allInPages(5))).toEqual(names(store.all()));
  expect((await store.allInPages(5)).length).toBe(21);
  expect(names(await store.allInPages(21))).toEqual(names(store.all()));
  expect(store.countBySource()).toEqual({ api: 21, git: 0 });
});
