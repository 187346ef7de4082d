// The reconciler's coalescing of concurrent runs, with a sink that takes a while (a real
// Prometheus reload with many rules takes seconds).

import { openSqlite } from '../../src/server/storage/sqliteStore';
import { Reconciler } from '../../src/server/delivery/reconciler';
import { RuleSink, SloRules, SyncOutcome } from '../../src/server/delivery/sink';
import { ServerMetrics } from '../../src/server/metrics';
import { SloStore } from '../../src/server/sloStore';
import { validateSloText } from '../../src/core/spec/sloObject';
import { availabilitySlo, captureLog } from './helpers';

class SlowSink implements RuleSink {
  readonly target = 'prometheus' as const;
  calls: string[][] = [];
  async sync(desired: SloRules[]): Promise<Map<string, SyncOutcome>> {
    this.calls.push(desired.map((d) => d.key));
    await new Promise((r) => setTimeout(r, 300));
    return new Map(desired.map((d) => [d.key, { state: 'in-sync' as const }]));
  }
}

// POST /api/v1/sync awaits run(): a call made while a pass is running must resolve only after a
// pass that includes the caller's changes, not with the pass already in flight.
it('run() called during a pass resolves only after a pass that saw the changes made before the call', async () => {
  const db = await openSqlite(':memory:');
  const store = new SloStore(db);
  const sink = new SlowSink();
  const rec = new Reconciler(db, store, [sink], captureLog().log, new ServerMetrics(), 60_000);
  const first = rec.run(); // a pass over no SLOs, in flight
  const v = validateSloText(JSON.stringify(availabilitySlo()));
  await store.create(v.spec!, v.slo!, 'test');
  try {
    await rec.run();
    expect(await rec.states('llm-gateway', 'chat-availability')).toEqual([expect.objectContaining({ state: 'in-sync' })]);
  } finally {
    await first;
    await new Promise((r) => setTimeout(r, 700)); // let the coalesced pass finish
    await rec.stop();
    await db.close();
  }
});
