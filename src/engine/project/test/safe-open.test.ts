/**
 * Every way a file can be unfit to open gets one sentence naming the file and what to do, and the
 * refused file keeps its bytes and mtime (and gains no journal beside it).
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../shared/errors';
import { Project, SCHEMA_VERSION } from '../index';
import { fingerprint, sampleRows, tempDir, tinyModel } from './helpers';

/** A closed project with a model and a few samples, big enough to span many pages. */
function makeProject(dir: string, name = 'p.dgs'): string {
  const p = Project.create(path.join(dir, name), { classes: [{ name: 'background' }, { name: 'head' }] });
  p.embedModel(tinyModel());
  p.addSamples(sampleRows([1, 2, 3, 4, 5]));
  p.dispose();
  return p.path;
}

/** Open must fail with a one-sentence UserError naming the file, and leave it exactly as it was. */
function expectRefused(file: string, message: RegExp, options: { readonly?: boolean } = {}): string {
  const before = fingerprint(file);
  let error: unknown;
  try {
    Project.open(file, options).dispose();
  } catch (e) {
    error = e;
  }
  expect(isUserError(error), `expected a UserError, got ${String(error)}`).toBe(true);
  const msg = (error as Error).message;
  expect(msg).toMatch(message);
  expect(msg).toContain(path.resolve(file));
  expect(msg.trim().endsWith('.')).toBe(true);
  expect(
    msg
      .replace(path.resolve(file), 'FILE')
      .split(/[.!?](\s|$)/)
      .filter((s) => s.trim().length > 0).length,
  ).toBe(1);
  const after = fingerprint(file);
  expect(after.bytes.equals(before.bytes)).toBe(true);
  expect(after.mtimeMs).toBe(before.mtimeMs);
  expect(after.siblings).toEqual(before.siblings);
  return msg;
}

describe('safe opening', () => {
  it('refuses a file that is not SQLite, an empty file, a folder and a missing path', () => {
    const dir = tempDir();
    const text = path.join(dir, 'notes.dgs');
    fs.writeFileSync(text, 'Shopping list: eggs, milk, a bigger GPU.\n'.repeat(10));
    expectRefused(
      text,
      /is not a DatasetGAN Studio project \(it is not even an SQLite database\); check that you chose the right file/,
    );
    const empty = path.join(dir, 'empty.dgs');
    fs.writeFileSync(empty, '');
    expectRefused(empty, /is an empty file, not a DatasetGAN Studio project/);
    expect(() => Project.open(dir)).toThrow(/is a folder, not a project file/);
    expect(() => Project.open(path.join(dir, 'missing.dgs'))).toThrow(/does not exist; check the path/);
    expect(fs.existsSync(path.join(dir, 'missing.dgs'))).toBe(false);
  });

  it("refuses another application's SQLite database", () => {
    const dir = tempDir();
    const other = path.join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec("CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('Ada')");
    db.close();
    expectRefused(other, /is an SQLite database of another application, not a DatasetGAN Studio project/);
    expectRefused(other, /another application/, { readonly: true });
  });

  it('refuses a project from a newer version', () => {
    const file = makeProject(tempDir());
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    expectRefused(
      file,
      new RegExp(
        `saved by a newer DatasetGAN Studio \\(file format ${SCHEMA_VERSION + 1}; this version reads up to ${SCHEMA_VERSION}\\); update`,
      ),
    );
    expectRefused(file, /newer DatasetGAN Studio/, { readonly: true });
  });

  it('refuses a truncated file', () => {
    const file = makeProject(tempDir());
    const size = fs.statSync(file).size;
    fs.truncateSync(file, 4096 * 5);
    expectRefused(
      file,
      new RegExp(
        `is truncated \\(${size - 4096 * 5} bytes are missing\\), probably by an interrupted copy or download`,
      ),
    );
    fs.truncateSync(file, 4096 * 3 + 100); // not even whole pages: still the bytes the header promises
    expectRefused(file, new RegExp(`is truncated \\(${size - 4096 * 3 - 100} bytes are missing\\)`));
  });

  it('refuses a damaged file (garbage over inner pages)', () => {
    const file = makeProject(tempDir());
    const fd = fs.openSync(file, 'r+');
    const pageSize = 4096;
    // Scribble over the b-tree pages after the schema page: the file keeps its size and header.
    fs.writeSync(fd, Buffer.alloc(pageSize * 3, 0xa5), 0, pageSize * 3, pageSize);
    fs.closeSync(fd);
    expectRefused(file, /is damaged \(.+\); restore it from a backup copy/);
    expectRefused(file, /is damaged/, { readonly: true });
  });

  it('refuses a read-only file for editing and opens it read-only without writing', () => {
    const dir = tempDir();
    const file = makeProject(dir);
    fs.chmodSync(file, 0o444);
    expectRefused(file, /is read-only; open it read-only to look at it, or make it writable/);
    const before = fingerprint(file);
    const p = Project.open(file, { readonly: true });
    expect(p.listSamples().map((s) => s.seed)).toEqual([1, 2, 3, 4, 5]);
    expect(() => p.setSetting('x', 1)).toThrow(/open read-only/);
    p.dispose();
    const after = fingerprint(file);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.siblings).toEqual(before.siblings);
  });

  it('refuses editing in a read-only folder (no journal could be written) but opens read-only', () => {
    const dir = tempDir();
    const file = makeProject(dir);
    fs.chmodSync(dir, 0o555);
    expectRefused(
      file,
      /The folder holding .* is read-only, so changes could not be saved safely; open the project read-only/,
    );
    const p = Project.open(file, { readonly: true });
    expect(p.info().counts.samples).toBe(5);
    p.dispose();
  });

  it('says "open elsewhere" to a second open in the same process and works after close', () => {
    const file = makeProject(tempDir());
    const first = Project.open(file);
    expect(() => Project.open(file)).toThrow(
      /is open in another DatasetGAN Studio window or command; close it there first/,
    );
    expect(() => Project.open(file, { readonly: true })).toThrow(
      /is open in another DatasetGAN Studio window or command/,
    );
    first.setSetting('still', 'fine');
    first.dispose();
    const again = Project.open(file);
    expect(again.getSetting('still')).toBe('fine');
    again.dispose();
  });

  it('refuses a file converted to WAL by another tool, and one whose project record was removed', () => {
    const file = makeProject(tempDir());
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.close();
    expectRefused(
      file,
      /was switched to WAL journaling by another tool, which project files never use; convert it back by running PRAGMA journal_mode=DELETE/,
    );
    const back = new Database(file);
    back.pragma('journal_mode = DELETE');
    back.exec('DELETE FROM project');
    back.close();
    expect(() => Project.open(file)).toThrow(/is damaged \(its project record is missing\)/);
    expect(() => Project.open(file)).toThrow(/project record is missing/); // the failed open released the file
  });

  it('opens a sound project and passes its integrity check', () => {
    const file = makeProject(tempDir());
    const p = Project.open(file);
    expect(p.integrityCheck()).toEqual(['ok']);
    expect(p.info().counts.samples).toBe(5);
    p.dispose();
  });
});
