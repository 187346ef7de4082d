// What each section of the SLO editor gets: the spec, a setter by path, and the messages to show
// beside a field (only for fields the user touched, until a save is tried: ../../domain/touched.ts).

import { Validation } from '../../domain/spec';
import { SpecValue } from '../../domain/templates';

export interface EditorForm {
  spec: SpecValue;
  set: (path: string, value: unknown) => void;
  msgs: (path: string) => string[];
  validation: Validation;
}

/** A number input's value: blank is "not set", so the default applies. */
export const numberOrUnset = (text: string): number | undefined => (text === '' ? undefined : Number(text));

/** "0.995" as "99.5%", for ratios typed as fractions. */
export function asPercent(ratio: unknown): string | undefined {
  return typeof ratio === 'number' && ratio >= 0 && ratio <= 1 ? `${Number((ratio * 100).toPrecision(6))}%` : undefined;
}

/** An input's id, so that its Field's label names it (a screen reader says "Good samples"). */
export const inputId = (path: string) => `br-${path.replace(/\./g, '-')}`;
