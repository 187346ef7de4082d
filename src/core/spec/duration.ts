// Prometheus-style durations ("5m", "1h30m", "4w"). Burnrate keeps windows in whole seconds.

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const ORDER = ['w', 'd', 'h', 'm', 's'];
const DURATION_RE = /^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Parses "30d", "4w", "1h30m" into seconds; undefined when not a valid duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION_RE.exec(text.trim());
  if (!m || text.trim() === '') {
    return undefined;
  }
  let total = 0;
  ORDER.forEach((unit, i) => {
    if (m[i + 1] !== undefined) {
      total += Number(m[i + 1]) * UNITS[unit];
    }
  });
  return total > 0 ? total : undefined;
}

/** Formats seconds the way PromQL and the metric names expect: 300 -> "5m", 2592000 -> "30d".
 * Weeks are written as days so that names read `ratio_rate28d`, as Sloth's do. */
export function formatDuration(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds <= 0) {
    throw new Error(`not a positive whole number of seconds: ${seconds}`);
  }
  let rest = seconds;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's']) {
    const n = Math.floor(rest / UNITS[unit]);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * UNITS[unit];
    }
  }
  return out;
}

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
