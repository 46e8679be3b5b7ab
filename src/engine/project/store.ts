/**
 * Small helpers shared by the table modules: the write context, clocks and ids, JSON and float32 blob
 * encodings, revision checks, and turning SQLite failures into sentences.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import type Database from 'better-sqlite3';
import { UserError } from '../../shared/errors';

/** Latents are stored as the host's float32 bytes, which the format fixes as little-endian. */
if (os.endianness() !== 'LE') throw new Error('DatasetGAN Studio project files need a little-endian machine.');

/** What every table function needs: the connection and the file's name for sentences. */
export interface Ctx {
  db: Database.Database;
  file: string;
  /** Who is making the changes (recorded in every version); null when unknown. */
  author?: string | null;
}

export function nowIso(): string {
  return new Date().toISOString();
}

export function newId(): string {
  return randomUUID();
}

/** JSON text of a value that must survive a round trip; `undefined` is stored as null. */
export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value === undefined ? null : value);
  } catch {
    text = undefined;
  }
  if (text === undefined) throw new UserError(`The ${what} cannot be saved because it is not plain JSON data.`);
  return text;
}

export function fromJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** Little-endian float32 bytes of an array (a view, no copy). */
export function float32Blob(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

/** A fresh, aligned Float32Array from stored bytes (SQLite's Buffer may sit at any offset). */
export function blobFloat32(b: Uint8Array): Float32Array {
  const out = new Float32Array(b.byteLength / 4);
  new Uint8Array(out.buffer).set(b);
  return out;
}

/** A Uint8Array that owns exactly its bytes, for handing blobs to callers. */
export function ownBytes(b: Uint8Array): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/**
 * Optimistic concurrency: a caller that passes the revision it last saw gets a sentence instead of
 * overwriting a newer change (0 = "I expect no row yet").
 */
export function checkRevision(what: string, current: number, expected: number | undefined): void {
  if (expected === undefined || expected === current) return;
  throw new UserError(
    `The ${what} was changed elsewhere (it is at revision ${current}, your edit started from ${expected}); reload it and try again.`,
    { code: 'conflict' },
  );
}

export function sqliteCode(e: unknown): string {
  return e instanceof Error && typeof (e as { code?: unknown }).code === 'string'
    ? (e as unknown as { code: string }).code
    : '';
}

/** Failures of the disk itself, while writing an open project, as sentences. */
export function explainWriteFailure(e: unknown, file: string): unknown {
  const code = sqliteCode(e);
  if (code === 'SQLITE_FULL')
    return new UserError(`The disk holding ${file} is full; free some space and try again (nothing was saved).`, {
      cause: e,
    });
  if (code === 'SQLITE_TOOBIG')
    return new UserError(
      `A value is too large to store in ${file} (SQLite's limit is 1 GB per value); nothing was saved.`,
      { cause: e },
    );
  if (code.startsWith('SQLITE_IOERR')) {
    return new UserError(
      `${file} could not be written (a disk or network error); check the drive and try again (nothing was saved).`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new UserError(
      `${file} has become read-only; save a copy elsewhere or make it writable again (nothing was saved).`,
      { cause: e },
    );
  }
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new UserError(`${file} is damaged; restore it from a backup copy (nothing was saved).`, { cause: e });
  }
  return e;
}

/**
 * Damage that opening's quick check cannot see (it checks the file's structure, not every value):
 * a malformed page met while reading, or stored JSON that no longer parses.
 */
export function explainReadFailure(e: unknown, file: string): unknown {
  if (sqliteCode(e).startsWith('SQLITE_CORRUPT') || e instanceof SyntaxError) {
    return new UserError(
      `${file} is damaged (${sqliteCode(e) ? 'SQLite reports a malformed database' : 'a stored value is not valid JSON'}); restore it from a backup copy or get a fresh copy from whoever sent it.`,
      { cause: e },
    );
  }
  if (sqliteCode(e).startsWith('SQLITE_IOERR')) {
    return new UserError(
      `${file} could not be read (a disk or network error); check the drive, or copy the file to a local disk.`,
      { cause: e },
    );
  }
  return e;
}
