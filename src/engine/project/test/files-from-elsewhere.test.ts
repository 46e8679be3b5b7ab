/**
 * Files from elsewhere (issue 14, item 5): a file of an older format opens as a migrated copy and the
 * original stays byte for byte as it was until the upgrade is saved; a file from a newer version is
 * refused naming its version; a file on a read-only share opens read-only with a reason for a banner.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Project, SCHEMA_VERSION } from '../index';
import { fingerprint, sampleRows, squareMap, tempDir, TINY } from './helpers';

const V1 = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/v1.dgs');

function oldFile(): string {
  const file = path.join(tempDir(), 'old.dgs');
  fs.copyFileSync(V1, file);
  return file;
}

const userVersion = (file: string): number => fs.readFileSync(file).readInt32BE(60);

describe('a file of an older format', () => {
  it('is edited as a migrated copy; the original is untouched until saveUpgrade, and unsaved work is left beside it on close', () => {
    const file = oldFile();
    const before = fingerprint(file);
    const p = Project.open(file, { author: 'ann' });
    expect([p.upgradedFrom, p.info().schemaVersion]).toEqual([1, SCHEMA_VERSION]);
    const [s] = p.addSamples(sampleRows([500]));
    p.saveAnnotation(s.id, { width: TINY.resolution, height: TINY.resolution, labelMap: squareMap(1), shapes: [] });
    expect(fingerprint(file).bytes.equals(before.bytes)).toBe(true);
    expect(() => Project.open(file)).toThrow(/is open in another DatasetGAN Studio window or command/); // still locked
    p.dispose();
    const after = fingerprint(file);
    expect([after.bytes.equals(before.bytes), after.mtimeMs, userVersion(file)]).toEqual([true, before.mtimeMs, 1]);
    // Nothing lost: the unsaved work is a complete project beside the original.
    const kept = p.unsavedUpgradeCopy!;
    expect(path.dirname(kept)).toBe(path.dirname(file));
    expect(path.basename(kept)).toMatch(/^old\.upgraded-.*\.dgs$/);
    expect(after.siblings).toEqual([...before.siblings, path.basename(kept)].sort());
    const q = Project.open(kept, { readonly: true });
    expect(q.getAnnotation(s.id)!.author).toBe('ann');
    q.dispose();
  });

  it('leaves nothing beside the original when nothing changed, or when told to discard', () => {
    const file = oldFile();
    const before = fingerprint(file);
    const p = Project.open(file);
    p.info();
    p.dispose();
    const q = Project.open(file);
    q.addSamples(sampleRows([502]));
    q.dispose({ discardUnsavedUpgrade: true });
    expect([q.unsavedUpgradeCopy, fingerprint(file).siblings]).toEqual([null, before.siblings]);
    expect(fingerprint(file).bytes.equals(before.bytes)).toBe(true);
  });

  it('replaces the original in one step on saveUpgrade, and goes on working on the upgraded file', () => {
    const file = oldFile();
    const siblings = fingerprint(file).siblings;
    const p = Project.open(file, { author: 'ann' });
    const [s] = p.addSamples(sampleRows([501]));
    p.saveUpgrade();
    expect(userVersion(file)).toBe(SCHEMA_VERSION);
    expect(p.upgradedFrom).toBeNull();
    p.saveAnnotation(s.id, { width: TINY.resolution, height: TINY.resolution, labelMap: squareMap(2), shapes: [] });
    p.dispose();
    expect(fingerprint(file).siblings).toEqual(siblings);
    const q = Project.open(file, { readonly: true });
    expect(q.upgradedFrom).toBeNull();
    expect(q.getAnnotation(s.id)!.author).toBe('ann');
    expect(q.listSamples()).toHaveLength(4);
    expect(q.integrityCheck()).toEqual(['ok']);
    q.dispose();
  });

  it('opens read-only through a temporary migrated copy, writing nothing beside the original', () => {
    const file = oldFile();
    const before = fingerprint(file);
    const p = Project.open(file, { readonly: true });
    expect([p.upgradedFrom, p.readonly]).toEqual([1, true]);
    expect(p.info().counts.samples).toBe(3);
    expect(() => p.saveUpgrade()).toThrow(/open read-only; open it for editing to change it/);
    p.dispose();
    const after = fingerprint(file);
    expect([after.bytes.equals(before.bytes), after.mtimeMs, after.siblings]).toEqual([
      true,
      before.mtimeMs,
      before.siblings,
    ]);
  });
});

describe('a file from a newer version', () => {
  it('is refused with a sentence naming its file format, for reading and for editing', () => {
    const file = oldFile();
    const db = new Database(file);
    db.pragma(`user_version = ${SCHEMA_VERSION + 3}`);
    db.close();
    const sentence = `${file} was saved by a newer DatasetGAN Studio (file format ${SCHEMA_VERSION + 3}; this version reads up to ${SCHEMA_VERSION}); update DatasetGAN Studio to open it.`;
    expect(() => Project.open(file)).toThrow(sentence);
    expect(() => Project.open(file, { readonly: true })).toThrow(sentence);
  });
});

describe('a file on a read-only share', () => {
  it('opens read-only with a reason when the caller allows it, and refuses changes', () => {
    const dir = tempDir();
    const p0 = Project.create(path.join(dir, 'shared.dgs'), { classes: [{ name: 'head' }] });
    p0.dispose();
    fs.chmodSync(dir, 0o555);
    const p = Project.open(p0.path, { allowReadonly: true });
    expect(p.readonly).toBe(true);
    expect(p.readonlyReason).toBe(
      `The folder holding ${p0.path} is read-only (a read-only share?), so the project was opened read-only: it can be looked at, not changed.`,
    );
    expect(() => p.rename('x')).toThrow(/open read-only/);
    p.dispose();
    fs.chmodSync(dir, 0o755);
    fs.chmodSync(p0.path, 0o444);
    const q = Project.open(p0.path, { allowReadonly: true });
    expect(q.readonlyReason).toMatch(/^The file .*shared\.dgs is read-only, so the project was opened read-only/);
    q.dispose();
    const w = Project.open(p0.path, { readonly: true, allowReadonly: true });
    expect(w.readonlyReason).toBeNull(); // asked for read-only: nothing to explain
    w.dispose();
  });
});
