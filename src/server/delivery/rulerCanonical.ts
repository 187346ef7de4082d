// A rule group as a ruler stores it, for comparing ours with what a ruler holds: fields in a fixed
// order, empty maps and a zero `for` dropped. Used on the event loop for our groups and on the
// worker thread for a ruler's answer (offThread/tasks.ts).

export function canonicalGroup(g: any): string {
  const rules = (g.rules ?? []).map((r: any) => {
    const o: Record<string, unknown> = r.alert !== undefined ? { alert: r.alert } : { record: r.record };
    o.expr = String(r.expr ?? '').trim();
    if (r.for && r.for !== '0s') {
      o.for = r.for;
    }
    for (const k of ['labels', 'annotations']) {
      if (r[k] && Object.keys(r[k]).length) {
        o[k] = Object.fromEntries(Object.keys(r[k]).sort().map((x) => [x, String(r[k][x])]));
      }
    }
    return o;
  });
  return JSON.stringify({ name: g.name, interval: g.interval ?? '', rules });
}
