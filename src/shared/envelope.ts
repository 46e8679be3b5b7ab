/**
 * Reading a stored JSON document (an "envelope": a project file's JSON column, a dataset folder's
 * run.json or manifest line, an annotation's shapes) the one way: find its version, refuse one newer
 * than this build, bring an older one up step by step, and check the result against today's schema.
 * Whatever is wrong becomes one sentence (a UserError) that names the document and what to do, never a
 * crash deeper in the code that trusted a cast.
 */
import type { z } from 'zod';
import { UserError } from './errors';

/** What this build knows about one kind of document. */
export interface EnvelopeHistory<T> {
  /** The `format` field the document carries, when it carries one (a mismatch is damage). */
  format?: string;
  /** Today's version: the one this build writes. */
  version: number;
  /** Today's schema. */
  schema: z.ZodType<T>;
  /** The version of a document without a `version` field (1 for a document that never had one). */
  unversioned: number;
  /** Older versions this build still reads: the schema of version v and the step to version v + 1. */
  older?: Record<number, { schema: z.ZodType; up: (doc: never) => unknown }>;
}

/** The history of a document that never had a `version` field: today's form is its version 1. */
export function unversionedHistory<T>(schema: z.ZodType<T>): EnvelopeHistory<T> {
  return { version: 1, schema, unversioned: 1 };
}

/** Where the document is, for the sentence: "The config of interpreter 1a2b3c4d in p.dgs", and the fix. */
export interface EnvelopePlace {
  what: string;
  fix: string;
}

/** Thrown for a document this build cannot use; `newer` when a later build wrote it. */
export class EnvelopeError extends UserError {
  constructor(
    message: string,
    readonly reason: 'damaged' | 'newer',
  ) {
    super(message);
  }
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * The first problem zod found, short enough for a sentence: "perClass.2: expected number, received
 * string", "count: missing". Where none of a union's forms fit and it has no message of its own, the
 * closest form's (fewest problems).
 */
function firstIssue(issues: readonly z.core.$ZodIssue[], prefix: PropertyKey[] = []): string {
  const issue = issues[0];
  if (!issue) return 'it does not have the expected form';
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.message === 'Invalid input' && issue.errors.length > 0) {
    const closest = issue.errors.reduce((a, b) => (b.length < a.length ? b : a));
    if (closest.length > 0) return firstIssue(closest, path);
  }
  const message = /received undefined$/.test(issue.message) ? 'missing' : issue.message.replace(/^Invalid input: /, '');
  return path.length ? `${path.map(String).join('.')}: ${message}` : message;
}

export function damaged(place: EnvelopePlace, detail: string): EnvelopeError {
  return new EnvelopeError(`${place.what} is damaged (${detail}); ${place.fix}.`, 'damaged');
}

/** Today's form of a stored document, or an EnvelopeError with its sentence. */
export function readEnvelope<T>(history: EnvelopeHistory<T>, value: unknown, place: EnvelopePlace): T {
  const stated = field(value, 'version');
  const version = stated === undefined ? history.unversioned : stated;
  if (typeof version !== 'number' || !Number.isInteger(version)) throw damaged(place, 'its version is not a number');
  const format = field(value, 'format');
  if (history.format !== undefined && format !== undefined && format !== history.format)
    throw damaged(place, `it is a "${String(format)}" document, not "${history.format}"`);
  if (version > history.version) {
    throw new EnvelopeError(
      `${place.what} was written by a newer DatasetGAN Studio (version ${version}; this build reads up to ${history.version}); update DatasetGAN Studio to read it.`,
      'newer',
    );
  }
  let doc = value;
  for (let v = version; v < history.version; v++) {
    const step = history.older?.[v];
    if (!step) throw damaged(place, `version ${v} never existed`);
    const parsed = step.schema.safeParse(doc);
    if (!parsed.success) throw damaged(place, firstIssue(parsed.error.issues));
    doc = step.up(parsed.data as never);
  }
  const parsed = history.schema.safeParse(doc);
  if (!parsed.success) throw damaged(place, firstIssue(parsed.error.issues));
  return parsed.data;
}
