// When Prometheus evaluates a rule group: every `interval`, at a fixed offset within it that
// Prometheus derives from the group's name and file (rules/manager.go, Group.EvalTimestamp in
// 2.42): offset = xxhash64("file" 0xff <file> 0xff "name" 0xff <name> 0xff) mod interval, in
// nanoseconds. Rollups written for the past (history backfill, the bench) go at the instants the
// live group uses, so that the first live rollup continues them instead of overlapping the last
// of them (up to an hour counted twice in every window that sums them).

// BigInt() calls, not literals: core is also compiled for the browser, below ES2020.
const M = (BigInt(1) << BigInt(64)) - BigInt(1);
const P1 = BigInt('0x9e3779b185ebca87');
const P2 = BigInt('0xc2b2ae3d27d4eb4f');
const P3 = BigInt('0x165667b19e3779f9');
const P4 = BigInt('0x85ebca77c2b2ae63');
const P5 = BigInt('0x27d4eb2f165667c5');

const rotl = (x: bigint, r: number): bigint => ((x << BigInt(r)) | (x >> BigInt(64 - r))) & M;
const round = (acc: bigint, lane: bigint): bigint => (rotl((acc + lane * P2) & M, 31) * P1) & M;
const merge = (acc: bigint, v: bigint): bigint => ((acc ^ round(BigInt(0), v)) * P1 + P4) & M;

/** XXH64 with seed 0 (the hash Prometheus's labels.Hash uses). */
export function xxhash64(buf: Uint8Array): bigint {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const len = buf.length;
  const u64 = (i: number) => view.getBigUint64(i, true);
  let i = 0;
  let h: bigint;
  if (len >= 32) {
    let v1 = (P1 + P2) & M;
    let v2 = P2;
    let v3 = BigInt(0);
    let v4 = (M + BigInt(1) - P1) & M;
    for (; i + 32 <= len; i += 32) {
      v1 = round(v1, u64(i));
      v2 = round(v2, u64(i + 8));
      v3 = round(v3, u64(i + 16));
      v4 = round(v4, u64(i + 24));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) & M;
    h = merge(h, v1);
    h = merge(h, v2);
    h = merge(h, v3);
    h = merge(h, v4);
  } else {
    h = P5;
  }
  h = (h + BigInt(len)) & M;
  for (; i + 8 <= len; i += 8) {
    h ^= round(BigInt(0), u64(i));
    h = (rotl(h, 27) * P1 + P4) & M;
  }
  if (i + 4 <= len) {
    h ^= (BigInt(view.getUint32(i, true)) * P1) & M;
    h = (rotl(h, 23) * P2 + P3) & M;
    i += 4;
  }
  for (; i < len; i++) {
    h ^= (BigInt(buf[i]) * P5) & M;
    h = (rotl(h, 11) * P1) & M;
  }
  h ^= h >> BigInt(33);
  h = (h * P2) & M;
  h ^= h >> BigInt(29);
  h = (h * P3) & M;
  h ^= h >> BigInt(32);
  return h;
}

/**
 * Offset in seconds (millisecond precision, as samples are stored) within each `intervalS` at
 * which Prometheus 2.x evaluates the group `name` loaded from `file` (the path as written in
 * rule_files, after glob expansion).
 */
export function groupPhase(name: string, file: string, intervalS: number): number {
  const utf8 = new TextEncoder();
  const parts = [utf8.encode('file'), utf8.encode(file), utf8.encode('name'), utf8.encode(name)];
  const key = new Uint8Array(parts.reduce((n, p) => n + p.length + 1, 0));
  let at = 0;
  for (const p of parts) {
    key.set(p, at);
    key[at + p.length] = 0xff;
    at += p.length + 1;
  }
  const ns = xxhash64(key) % BigInt(Math.round(intervalS * 1e9));
  return Math.floor(Number(ns / BigInt(1000000))) / 1000;
}

/** The group's first evaluation at or after `t`: every `stepS` seconds, `phase` into each. */
export function evaluationAtOrAfter(t: number, stepS: number, phase = 0): number {
  return Math.ceil((t - phase) / stepS) * stepS + phase;
}
