/**
 * A request that does not match its channel's schema, as one sentence naming the field: "Samples to add
 * must be a whole number from 1 to 10,000, not 0." The field's name is its schema's title (the number
 * fields of src/shared/number-fields.ts and the typed fields of api.ts carry one); a field without a
 * title is named by its key. Most of these come from a person's typing that the form let through, so
 * the sentence says what to type, not that the app is broken.
 */
import { z } from 'zod';

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

interface Meta {
  title?: string;
  range?: string;
}

function metaOf(s: Schema): Meta {
  return (z.globalRegistry.get(s) as Meta | undefined) ?? {};
}

/** Wrappers that do not change which field it is (optional, nullable, default, a pipe's input). */
function inner(s: Schema): Schema | null {
  const def = s._zod.def as { type: string; innerType?: Schema; in?: Schema };
  if (def.type === 'optional' || def.type === 'nullable' || def.type === 'default' || def.type === 'readonly')
    return def.innerType ?? null;
  if (def.type === 'pipe') return def.in ?? null;
  return null;
}

function child(s: Schema, key: PropertyKey): Schema | null {
  const def = s._zod.def as { type: string; shape?: Record<string, Schema>; element?: Schema; valueType?: Schema };
  if (def.type === 'object') return def.shape?.[String(key)] ?? null;
  if (def.type === 'array') return def.element ?? null;
  if (def.type === 'record') return def.valueType ?? null;
  return null;
}

/** The title and range of the field at `path` (on the field itself or on a wrapper around it). */
function fieldMeta(root: Schema, path: readonly PropertyKey[]): Meta {
  let s: Schema | null = root;
  for (const key of path) {
    for (let w: Schema | null = s && inner(s); w; w = inner(w)) s = w;
    s = s && child(s, key);
  }
  const found: Meta = {};
  for (let w: Schema | null = s; w; w = inner(w)) {
    const m = metaOf(w);
    found.title ??= m.title;
    found.range ??= m.range;
  }
  return found;
}

function valueAt(payload: unknown, path: readonly PropertyKey[]): unknown {
  let v = payload;
  for (const k of path) v = v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined;
  return v;
}

/** "outDir" → "out dir"; a list's entry by its position ("classes 3"). */
function keyName(path: readonly PropertyKey[]): string {
  return path
    .map((k) =>
      typeof k === 'number'
        ? String(k + 1)
        : String(k)
            .replace(/([a-z])([A-Z])/g, '$1 $2')
            .toLowerCase(),
    )
    .join(' ');
}

function shown(v: unknown): string | null {
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.trim() && v.length <= 40 ? `“${v}”` : null;
  return null;
}

const KINDS: Record<string, string> = {
  number: 'a number',
  string: 'text',
  boolean: 'yes or no',
  array: 'a list',
  object: 'a set of fields',
};

function problem(issue: Issue, meta: Meta, value: unknown): string {
  const bound = (issue as { minimum?: unknown; maximum?: unknown }).minimum ?? (issue as { maximum?: unknown }).maximum;
  const origin = (issue as { origin?: string }).origin;
  switch (issue.code) {
    case 'invalid_type':
      if (value === undefined) return 'is missing';
      return meta.range ? `must be ${meta.range}` : `must be ${KINDS[issue.expected] ?? issue.expected}`;
    case 'too_small':
    case 'too_big': {
      if (meta.range) return `must be ${meta.range}`;
      const least = issue.code === 'too_small';
      if (origin === 'string')
        return least && Number(bound) <= 1
          ? 'must not be empty'
          : `must be at ${least ? 'least' : 'most'} ${String(bound)} characters`;
      if (origin === 'array') return `must have at ${least ? 'least' : 'most'} ${String(bound)} entries`;
      return `must be at ${least ? 'least' : 'most'} ${String(bound)}`;
    }
    case 'invalid_format':
      return 'is not in the expected form';
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`;
    case 'not_multiple_of':
      return meta.range ? `must be ${meta.range}` : `must be a multiple of ${String(issue.divisor)}`;
    case 'unrecognized_keys':
      return `has fields this version does not know (${issue.keys.join(', ')})`;
    default:
      return `is not valid (${issue.message})`;
  }
}

/** The first issue of a refused request as one sentence that names the field. */
export function requestIssueSentence(schema: Schema, payload: unknown, issues: readonly Issue[]): string {
  const issue = issues[0];
  if (!issue) return 'The request could not be read; reload the page and try again.';
  const meta = fieldMeta(schema, issue.path);
  const value = valueAt(payload, issue.path);
  const name = meta.title ?? (issue.path.length ? `The field “${keyName(issue.path)}”` : 'The request');
  const was = shown(value);
  const what = problem(issue, meta, value);
  const asRange = ['too_small', 'too_big', 'not_multiple_of', 'invalid_type'].includes(issue.code);
  return `${name} ${what}${was === null ? '' : asRange ? `, not ${was}` : ` (it was ${was})`}.`;
}
