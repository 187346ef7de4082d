// How large the parts of a definition may be. Labels are copied onto every generated series and
// rule, annotations onto every alert rule, queries into every window's rule: without caps a 1 MB
// label value made a 30 MB rule file. The label caps are Mimir's defaults, which a ruler or a
// remote-write target enforces anyway on every series Burnrate records.

export const SIZE_LIMITS = {
  /** Characters in a label value (Mimir's default -validation.max-length-label-value). */
  labelValue: 2048,
  /** Labels on one series, slo and slo_service included (Mimir's default max-label-names-per-series). */
  labelsPerSeries: 30,
  /** Characters in an annotation value. */
  annotationValue: 4096,
  /** Annotations per alert. */
  annotations: 30,
  /** Characters of an exclusion's regex, or of its values once joined into one. */
  exclusionRegex: 4096,
  /** Characters in any other text: a query, a description, a link. */
  text: 16384,
};

/** "is 1,048,576 characters long: at most 2,048 (why)". */
export function tooLong(length: number, max: number, why: string): string {
  const n = (x: number) => x.toLocaleString('en-US');
  return `is ${n(length)} characters long: at most ${n(max)} (${why})`;
}
