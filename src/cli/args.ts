/** Small parsers for option values that turn bad input into UserError sentences. */
import { UserError } from '../shared/errors';

export function intOption(value: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !/^-?\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UserError(`${flag} takes a whole number from ${min} to ${max}; got "${String(value)}".`);
  }
  return n;
}

export function floatOption(value: unknown, flag: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || n < min || n > max) {
    throw new UserError(`${flag} takes a number from ${min} to ${max}; got "${String(value)}".`);
  }
  return n;
}

export function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function listOption(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}
