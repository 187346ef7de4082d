// Numbers and times for people: percentages, burn rates, counts, durations.

export function percent(x: number | undefined, digits = 1): string {
  if (x === undefined || x === null || !Number.isFinite(x)) {
    return '–';
  }
  return `${(x * 100).toFixed(digits)}%`;
}

export function burn(x: number | undefined): string {
  if (x === undefined || x === null || !Number.isFinite(x)) {
    return '–';
  }
  return `${x < 10 ? x.toFixed(2) : x.toFixed(1)}x`;
}

export function count(x: number | undefined): string {
  if (x === undefined || x === null || !Number.isFinite(x)) {
    return '–';
  }
  const r = x >= 100 ? Math.round(x) : Number(x.toPrecision(2));
  return r.toLocaleString('en-US');
}

export function duration(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  if (seconds < 3600) {
    return `${Math.max(1, Math.round(seconds / 60))} min`;
  }
  if (seconds < 2 * 86400) {
    return `${Math.round(seconds / 3600)} h`;
  }
  return `${Math.round(seconds / 86400)} days`;
}

export function dateTime(ms: number | string | undefined): string {
  if (ms === undefined) {
    return '–';
  }
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? String(ms) : d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';
}

export function groupText(group: Record<string, string> | undefined): string {
  const entries = Object.entries(group ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${v}`).join(', ') : 'all';
}

/** "700 of 1,000": bad events spent of the whole period's budget, where it is known in events. */
export function spentOfBudget(g: { spentEvents?: number; budgetEvents?: number }): string {
  return g.spentEvents === undefined || g.budgetEvents === undefined
    ? '–'
    : `${count(g.spentEvents)} of ${count(g.budgetEvents)}`;
}
