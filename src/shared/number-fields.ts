/**
 * The number fields a person types into (how many samples to add, members of the ensemble, samples to
 * generate, samples to assign): one range each, used by the API's schema, by the form that checks the
 * typed text, and by the sentence either of them shows. A range written twice drifts; this is the once.
 */
import { z } from 'zod';

export interface NumberField {
  /** What the field is called where it is typed (and in the API's sentence). */
  label: string;
  min: number;
  max: number;
  /** Whole numbers only. */
  integer: boolean;
}

export const SAMPLES_TO_ADD: NumberField = { label: 'Samples to add', min: 1, max: 10_000, integer: true };
export const ENSEMBLE_MEMBERS: NumberField = { label: 'Models in the ensemble', min: 1, max: 64, integer: true };
export const SAMPLES_TO_GENERATE: NumberField = {
  label: 'Samples to keep',
  min: 1,
  max: 100_000_000,
  integer: true,
};
export const SAMPLES_TO_ASSIGN: NumberField = { label: 'Samples to assign', min: 1, max: 100_000, integer: true };
export const SUGGESTION_POOL: NumberField = { label: 'Candidates to rank', min: 2, max: 4096, integer: true };

const format = (n: number): string => n.toLocaleString('en-US');

/** "a whole number from 1 to 10,000". */
export function rangeText(f: NumberField): string {
  return `${f.integer ? 'a whole number' : 'a number'} from ${format(f.min)} to ${format(f.max)}`;
}

/** The field's schema: its range, and its label as the schema's title (the API's sentences name it). */
export function numberSchema(f: NumberField) {
  const n = z.number();
  return (f.integer ? n.int() : n)
    .min(f.min)
    .max(f.max)
    .meta({ title: f.label, range: rangeText(f) });
}

/** The typed text as the field's number, or the sentence saying what is wrong with it. */
export function readNumberField(f: NumberField, text: string): { value: number } | { error: string } {
  const t = text.trim().replace(/[,_\s]/g, '');
  const wanted = `Enter ${rangeText(f)}.`;
  if (t === '') return { error: wanted };
  // Number() takes what a person types ("20", "1e3", "2.5") and refuses words and stray signs.
  const value = Number(t);
  if (!Number.isFinite(value)) return { error: `“${text.trim()}” is not a number; ${lower(wanted)}` };
  if (f.integer && !Number.isInteger(value))
    return { error: `${format(value)} is not a whole number; ${lower(wanted)}` };
  if (value < f.min || value > f.max) return { error: `${format(value)} is out of range; ${lower(wanted)}` };
  return { value };
}

const lower = (s: string): string => s[0].toLowerCase() + s.slice(1);
