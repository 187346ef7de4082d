// A classic histogram bucket is selected by its `le` label, which is text: each client library
// writes the bound in its own float syntax, and a rule that matches one spelling counts every
// request of the others as slow. Spellings of 1e6 and 5e-4 in the wild:
//   Go client_golang, Prometheus 3's normalisation: strconv.FormatFloat(f, 'g', -1, 64), exponent
//     below 1e-4 and from 1e6 on, two digits at least: "1e+06", "1.5e-05" (Prometheus 3 adds ".0"
//     to whole numbers without an exponent: "2.0")
//   Python prometheus_client: repr, then exponents from 1e6 on: "1000000.0" (older), "1e+06",
//     "1e-05", and "1e+010" from 1e10 on
//   Java Double.toString: exponent below 1e-3 and from 1e7 on, no padding: "5.0E-4", "1.0E7"
//   JavaScript, Rust, .NET: "1000000", "0.00001", "1e-7", "1E-05"
// Every spelling of one number is the same digits with an exponent, so the regex below matches
// the plain decimal (with or without ".0") and, where a client may use one, any exponent form of
// those digits. It matches nothing that is not that number.

/** Shortest digits and decimal exponent: 1500000 -> { digits: "15", exp: 6 }. */
function decompose(n: number): { sign: string; digits: string; exp: number } {
  // toExponential() without an argument gives the shortest digits that read back as n, the same
  // digits every client's shortest formatting starts from.
  const [mantissa, exp] = Math.abs(n).toExponential().split('e');
  return { sign: n < 0 ? '-' : '', digits: mantissa.replace('.', ''), exp: Number(exp) };
}

/** The number as a plain decimal, from its digits: no exponent, however large or small. */
function plainDecimal(digits: string, exp: number): { int: string; frac: string } {
  if (exp < 0) {
    return { int: '0', frac: '0'.repeat(-exp - 1) + digits };
  }
  const padded = digits.padEnd(exp + 1, '0');
  return { int: padded.slice(0, exp + 1), frac: padded.slice(exp + 1) };
}

/** An RE2 regex (unanchored; Prometheus anchors `=~`) matching every spelling of `n` as `le`. */
export function bucketBoundRegex(n: number): string {
  if (!Number.isFinite(n)) {
    throw new Error(`a bucket bound is finite, got ${n}`);
  }
  const { sign, digits, exp } = decompose(n);
  const s = sign ? '-' : '';
  const plain = plainDecimal(digits, exp);
  const forms = plain.frac ? [`${s}${plain.int}\\.${plain.frac}`] : [`${s}${plain.int}`, `${s}${plain.int}\\.0`];
  // Exponent forms: below 1e-3 (Java from there, Go and Python below 1e-4) and from 1e6 on (Go,
  // Python; Java from 1e7). Between them every client writes the plain decimal.
  if (exp <= -4 || exp >= 6) {
    const mantissa = digits.length > 1 ? `${digits[0]}\\.${digits.slice(1)}` : `${digits}(\\.0)?`;
    forms.push(`${s}${mantissa}[eE]${exp < 0 ? '-' : '\\+?'}0*${Math.abs(exp)}`);
  }
  return forms.join('|');
}
