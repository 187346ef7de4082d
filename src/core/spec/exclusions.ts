// `exclude`: classes of events that count neither as good nor as bad (for example upstream provider
// failures), each a label with exact values or an RE2 regex, added as a matcher to every selector.

import { RESERVED_LABELS } from './defaults';
import { MapReader, Problems } from './fieldReader';
import { SIZE_LIMITS, tooLong } from './sizeLimits';
import { Exclusion, Sli } from './types';
import { isLabelName, regexOneOf } from '../promql/escape';
import { isWindowTemplate } from '../promql/queries';
import { checkRe2 } from '../promql/re2';

function usesTemplates(sli: Sli): boolean {
  const queries: Array<string | undefined> =
    sli.kind === 'ratio'
      ? [sli.errors, sli.good, sli.total]
      : sli.kind === 'raw'
        ? [sli.errorRatio]
        : sli.kind === 'quality'
          ? sli.components.flatMap((c) => [c.good, c.total])
          : sli.kind === 'cost'
            ? [sli.cost, sli.requests]
            : sli.kind === 'timeslice' && sli.ratio
              ? [sli.ratio.errors, sli.ratio.good, sli.ratio.total]
              : [];
  return sli.source === 'prometheus' && queries.some((q) => q !== undefined && isWindowTemplate(q));
}

export function readExclusions(r: MapReader, sli: Sli | undefined, p: Problems): Exclusion[] {
  const items = r.list('exclude') ?? [];
  const out: Exclusion[] = [];
  items.forEach((item, i) => {
    const c = new MapReader(item, `${r.at('exclude')}[${i}]`, p);
    if (!c.ok) {
      return;
    }
    c.allowOnly(['name', 'label', 'values', 'regex']);
    const name = c.string('name', { required: true });
    const label = c.string('label', { required: true });
    const values = c.stringList('values');
    const regex = c.string('regex', { maxLength: SIZE_LIMITS.exclusionRegex });
    if (label !== undefined && (!isLabelName(label) || label.startsWith('__'))) {
      p.error(c.at('label'), `"${label}" is not a valid label name: use [a-zA-Z_][a-zA-Z0-9_]* not starting with "__"`);
      return;
    }
    if (label !== undefined && RESERVED_LABELS.includes(label)) {
      p.error(c.at('label'), `cannot exclude on "${label}": Burnrate sets it itself`);
      return;
    }
    if (regex === '') {
      p.error(c.at('regex'), 'must not be empty (an empty regex matches only the empty value)');
      return;
    }
    const problem = regex === undefined ? undefined : checkRe2(regex);
    if (problem) {
      p.error(c.at('regex'), `${JSON.stringify(regex)} is not a regex Prometheus accepts (RE2 syntax): ${problem}`);
      return;
    }
    if ((values === undefined) === (regex === undefined)) {
      p.error(c.path, 'give either "values" (exact label values) or "regex", not both and not neither');
      return;
    }
    if (values && values.length === 0) {
      p.error(c.at('values'), 'must not be empty');
      return;
    }
    const joined = values ? regexOneOf(values).length : 0;
    if (joined > SIZE_LIMITS.exclusionRegex) {
      p.error(c.at('values'), `${tooLong(joined, SIZE_LIMITS.exclusionRegex, 'joined into one regex that every selector of the SLI carries')}: use a regex`);
      return;
    }
    if (name && label) {
      out.push({ name, label, values, regex });
    }
  });
  if (out.length > 0 && sli?.kind === 'composite') {
    p.error(r.at('exclude'), 'a composite SLO has no queries of its own: put exclusions on its component SLOs');
  } else if (out.length > 0 && sli && (usesTemplates(sli) || sli.kind === 'raw')) {
    p.error(r.at('exclude'), 'exclusions need selector queries (Burnrate adds a label matcher to each); {{.window}} expressions cannot be rewritten');
  }
  return out;
}
