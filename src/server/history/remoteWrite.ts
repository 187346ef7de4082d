// Prometheus remote write (protocol 1.0): a protobuf WriteRequest, snappy block-compressed,
// POSTed to /api/v1/write. Encoded by hand: only three small messages are needed.
//   WriteRequest { repeated TimeSeries timeseries = 1; }
//   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
//   Label        { string name = 1; string value = 2; }
//   Sample       { double value = 1; int64 timestamp = 2; }   (timestamp in ms)

export interface WriteSeries {
  /** Labels including `__name__`. */
  labels: Record<string, string>;
  /** [time (s), value], oldest first (Prometheus appends a series' samples in order). */
  samples: Array<[number, number]>;
}

class Writer {
  private chunks: Uint8Array[] = [];
  length = 0;

  bytes(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  varint(n: number): void {
    const out: number[] = [];
    // Numbers, not BigInt: millisecond timestamps stay far below 2^53.
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
    this.bytes(Uint8Array.from(out));
  }

  /** A length-delimited field (wire type 2). */
  message(field: number, body: Uint8Array): void {
    this.varint((field << 3) | 2);
    this.varint(body.length);
    this.bytes(body);
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}

const utf8 = new TextEncoder();

function label(name: string, value: string): Uint8Array {
  const w = new Writer();
  w.message(1, utf8.encode(name));
  w.message(2, utf8.encode(value));
  return w.finish();
}

function sample(t: number, v: number): Uint8Array {
  const w = new Writer();
  const value = new Uint8Array(8);
  new DataView(value.buffer).setFloat64(0, v, true);
  w.varint((1 << 3) | 1);
  w.bytes(value);
  w.varint(2 << 3);
  w.varint(Math.round(t * 1000));
  return w.finish();
}

/** The WriteRequest protobuf; labels sorted by name, as Prometheus requires. */
export function encodeWriteRequest(series: WriteSeries[]): Uint8Array {
  const req = new Writer();
  for (const s of series) {
    const ts = new Writer();
    for (const name of Object.keys(s.labels).sort()) {
      ts.message(1, label(name, s.labels[name]));
    }
    for (const [t, v] of s.samples) {
      ts.message(2, sample(t, v));
    }
    req.message(1, ts.finish());
  }
  return req.finish();
}

/**
 * Snappy block format with literals only: the uncompressed length as a varint, then literal
 * elements of up to 64 KiB (tag 61<<2: the length-1 in the next two bytes, little-endian). The
 * format allows a block without back-references, and any snappy decoder reads it; it only does not
 * shrink the data, which for a few thousand samples once per SLO does not matter.
 */
export function snappyLiteralBlock(data: Uint8Array): Uint8Array {
  const w = new Writer();
  w.varint(data.length);
  for (let at = 0; at < data.length; at += 0x10000) {
    const chunk = data.subarray(at, Math.min(data.length, at + 0x10000));
    const n = chunk.length - 1;
    w.bytes(Uint8Array.from([61 << 2, n & 0xff, n >> 8]));
    w.bytes(chunk);
  }
  return w.finish();
}

export const REMOTE_WRITE_HEADERS = {
  'Content-Type': 'application/x-protobuf',
  'Content-Encoding': 'snappy',
  'X-Prometheus-Remote-Write-Version': '0.1.0',
};
