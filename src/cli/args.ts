/** Small parsers for option values that turn bad input into UserError sentences. */
import { UserError } from '../shared/errors';

/** A value as a sentence quotes it: in double quotes, control characters escaped (so it stays one line). */
export function quoted(value: unknown): string {
  return JSON.stringify(String(value));
}

export function intOption(value: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError(`${flag} takes a whole number from ${min} to ${max}; got ${quoted(value)}.`);
  }
  return n;
}

export function floatOption(value: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UserError(`${flag} takes a number from ${min} to ${max}; got ${quoted(value)}.`);
  }
  return n;
}

export function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function listOption(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
