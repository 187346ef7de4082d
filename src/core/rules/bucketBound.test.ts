import fc from 'fast-check';
import { bucketBoundRegex } from './bucketBound';

// How client libraries write a float, re-implemented from their documented rules.
const parts = (n: number) => {
  const [m, e] = n.toExponential().split('e');
  return { digits: m.replace('.', ''), exp: Number(e) };
};
const plain = (n: number) => {
  const { digits, exp } = parts(n);
  if (exp < 0) {
    return `0.${'0'.repeat(-exp - 1)}${digits}`;
  }
  const p = digits.padEnd(exp + 1, '0');
  return p.slice(exp + 1) ? `${p.slice(0, exp + 1)}.${p.slice(exp + 1)}` : p;
};
const mantissa = (digits: string, minFraction: boolean) => (digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : minFraction ? `${digits}.0` : digits);
const pad2 = (e: number) => `${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
/** Go strconv.FormatFloat(f, 'g', -1, 64): exponent below 1e-4 and from 1e6 on. */
const go = (n: number) => {
  const { digits, exp } = parts(n);
  return exp < -4 || exp >= 6 ? `${mantissa(digits, false)}e${pad2(exp)}` : plain(n);
};
/** Prometheus 3's normalisation: Go's, plus ".0" on whole numbers without an exponent. */
const prom3 = (n: number) => (/[.e]/.test(go(n)) ? go(n) : `${go(n)}.0`);
/** Python repr: exponent below 1e-4 and from 1e16 on; ".0" on whole numbers. */
const pyRepr = (n: number) => {
  const { digits, exp } = parts(n);
  if (exp < -4 || exp >= 16) {
    return `${mantissa(digits, false)}e${pad2(exp)}`;
  }
  return plain(n).includes('.') ? plain(n) : `${plain(n)}.0`;
};
/** prometheus_client floatToGoString: repr, then "Xe+0N" where repr has more than 6 integer digits. */
const python = (n: number) => {
  const s = pyRepr(n);
  const dot = s.indexOf('.');
  if (n > 0 && dot > 6) {
    const m = `${s[0]}.${s.slice(1, dot)}${s.slice(dot + 1)}`.replace(/[0.]+$/, '');
    return `${m}e+0${dot - 1}`;
  }
  return s;
};
/** Java Double.toString: exponent below 1e-3 and from 1e7 on, "1.0E7", "5.0E-4". */
const java = (n: number) => {
  const { digits, exp } = parts(n);
  if (n >= 1e-3 && n < 1e7) {
    return plain(n).includes('.') ? plain(n) : `${plain(n)}.0`;
  }
  return `${mantissa(digits, true)}E${exp}`;
};
/** .NET's shortest round-trip ToString: exponent below 1e-5 and from 1e15 on, "1E-06". */
const dotnet = (n: number) => {
  const { digits, exp } = parts(n);
  return exp < -5 || exp >= 15 ? `${mantissa(digits, false)}E${pad2(exp)}` : plain(n);
};
const CLIENTS = { go, prom3, python, java, dotnet, js: String };

const matches = (n: number, text: string) => new RegExp(`^(?:${bucketBoundRegex(n)})$`).test(text);

describe('bucketBoundRegex: every spelling of the bound, and nothing else', () => {
  it.each([
    [1000000, ['1000000', '1000000.0', '1e+06', '1.0E6', '1e6']],
    [10000000, ['10000000', '1e+07', '1.0E7']],
    [1500000, ['1500000', '1.5e+06', '1500000.0']],
    [1e10, ['10000000000', '1e+10', '1e+010', '1.0E10']],
    [0.00001, ['0.00001', '1e-05', '1.0E-5', '1E-05', '1e-5']],
    [0.0005, ['0.0005', '5.0E-4', '5e-04']],
    [0.25, ['0.25']],
    [1, ['1', '1.0']],
  ])('%s matches %j', (n, spellings) => {
    for (const text of spellings) {
      expect([text, matches(n, text)]).toEqual([text, true]);
    }
  });

  it('keeps the common range as before: 1 is "1|1\\.0", 0.25 is "0\\.25", 100000 has no exponent form', () => {
    expect(bucketBoundRegex(1)).toBe('1|1\\.0');
    expect(bucketBoundRegex(0.25)).toBe('0\\.25');
    expect(bucketBoundRegex(100000)).toBe('100000|100000\\.0');
    expect(bucketBoundRegex(1000000)).toBe('1000000|1000000\\.0|1(\\.0)?[eE]\\+?0*6');
    expect(bucketBoundRegex(0.00001)).toBe('0\\.00001|1(\\.0)?[eE]-0*5');
  });

  it.each([
    [1000000, ['1e+07', '1e+05', '10000000', '1e+060', '1.5e+06', '2e+06', '1000001', '1e+06x']],
    [0.00001, ['1e-04', '0.0001', '1e-050', '1.0E-6', '0.000010001']],
    [0.25, ['0.250001', '2.5', '0.025', '025']],
  ])('%s does not match %j', (n, others) => {
    for (const text of others) {
      expect([text, matches(n, text)]).toEqual([text, false]);
    }
  });

  it('for 3,000 bounds from 1e-12 to 1e22: each client spelling matches; those of 10x, x/10 and a neighbour do not', () => {
    const bound = fc
      .record({ digits: fc.integer({ min: 1, max: 999999 }), exp: fc.integer({ min: -12, max: 22 }) })
      .map(({ digits, exp }) => Number(`${digits}e${exp}`));
    fc.assert(
      fc.property(bound, (n) => {
        for (const [client, write] of Object.entries(CLIENTS)) {
          expect([client, write(n), matches(n, write(n))]).toEqual([client, write(n), true]);
          for (const other of [n * 10, n / 10, Number((n * 1.000001).toPrecision(15))]) {
            if (other !== n) {
              expect([client, write(other), matches(n, write(other))]).toEqual([client, write(other), false]);
            }
          }
        }
      }),
      { numRuns: 3000, seed: 6 }
    );
  });
});
