/**
 * Smaller promises of the command line, each on real files through the real `dgs`: a damaged file is a
 * short sentence (SQLite's list behind --debug), two different projects are not merged by mistake, a
 * killed merge's temporaries are swept by the next merge into that folder, and label import refuses a
 * project whose embedded model fails its checksum, naming the file.
 */
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { encodeGrayPng } from '../../node/io/png';
import { dgs, scratchDir, TINY } from './run-dgs';

const dir = scratchDir('dgs-cli-reliability-');
const file = (name: string) => path.join(dir.path, name);
const digest = (f: string) => crypto.createHash('sha256').update(fs.readFileSync(f)).digest('hex');

beforeAll(() => {
  expect(dgs('init', file('a.dgs'), '--name', 'Faces A', '--model', TINY).code).toBe(0);
  expect(dgs('sample', file('a.dgs'), '--count', '30').code).toBe(0);
});

describe('a damaged project file', () => {
  it('is refused in at most 3 lines, with SQLite’s list of problems behind --debug, and left as it was', () => {
    // 150 pages more than the file's tables use: SQLite's check lists each as never used.
    const bad = file('damaged.dgs');
    const bytes = fs.readFileSync(file('a.dgs'));
    const pages = bytes.readUInt32BE(28);
    const grown = Buffer.concat([bytes, Buffer.alloc(150 * bytes.readUInt16BE(16))]);
    grown.writeUInt32BE(pages + 150, 28);
    fs.writeFileSync(bad, grown);
    const before = digest(bad);
    const r = dgs('info', bad);
    expect(r.code).toBe(1);
    const lines = r.stderr.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(3);
    expect(lines[0]).toMatch(
      new RegExp(
        `^dgs: ${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(SQLite's check says: Page \\d+.* never used and 99 more problems, listed with --debug\\); restore it from a backup copy`,
      ),
    );
    const debug = dgs('info', bad, '--debug');
    expect(debug.code).toBe(1);
    expect(debug.stderr.match(/^Page \d+.* never used$/gm)).toHaveLength(100);
    expect(digest(bad)).toBe(before);
  });
});

describe('dgs merge', () => {
  it('refuses two different projects unless --unrelated is given, and then keeps mine’s name', () => {
    expect(dgs('init', file('b.dgs'), '--name', 'Cars B', '--model', TINY).code).toBe(0);
    const out = file('ab.dgs');
    const r = dgs('merge', file('a.dgs'), file('b.dgs'), '-o', out, '--author', 'lead');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `dgs: ${file('a.dgs')} ("Faces A") and ${file('b.dgs')} ("Cars B") are different projects, not copies of one; check that you chose the right file, or merge them anyway with \`dgs merge --unrelated\`.\n`,
    );
    expect(fs.existsSync(out)).toBe(false);
    expect(dgs('merge', file('a.dgs'), file('b.dgs'), '-o', out, '--author', 'lead', '--unrelated').code).toBe(0);
    expect(JSON.parse(dgs('info', out, '--json').stdout).name).toBe('Faces A');
  });

  it('removes the temporaries a killed merge left in the folder it merges into', () => {
    const folder = file('merged');
    fs.mkdirSync(folder);
    expect(dgs('copy', file('a.dgs'), '-o', file('a-copy.dgs')).code).toBe(0);
    // What a merge killed while writing folder/x.dgs leaves: its temporary and SQLite's journal beside it.
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    const killed = [`.x.dgs.${gone}.1765000000000.writing`, `.x.dgs.${gone}.1765000000000.writing-journal`];
    // One of a merge still running (this process) stays.
    const running = `.y.dgs.${process.pid}.1765000000001.writing`;
    for (const name of [...killed, running]) fs.writeFileSync(path.join(folder, name), 'partial');
    const r = dgs('merge', file('a.dgs'), file('a-copy.dgs'), '-o', path.join(folder, 'x.dgs'), '--author', 'lead');
    expect(r.code).toBe(0);
    expect(fs.readdirSync(folder).sort()).toEqual([running, 'x.dgs']);
  });
});

describe('dgs label import', () => {
  it('refuses a project whose model fails its checksum, naming the file, and imports nothing', () => {
    const target = file('tampered.dgs');
    fs.copyFileSync(file('a.dgs'), target);
    const db = new Database(target);
    const { mapping } = db.prepare('SELECT mapping FROM model').get() as { mapping: Buffer };
    mapping[mapping.length - 1] ^= 0xff;
    db.prepare('UPDATE model SET mapping = ?').run(mapping);
    db.close();
    const labels = file('labels');
    fs.mkdirSync(labels);
    const R = 32;
    fs.writeFileSync(path.join(labels, 'seed-0.png'), encodeGrayPng(new Uint8Array(R * R).fill(1), R, R));
    const before = digest(target);
    const r = dgs('label', 'import', target, labels, '--author', 'ada');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(
        `^dgs: The model embedded in ${target.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} fails its checksum .*; restore it from a backup copy\\.\\n$`,
      ),
    );
    expect(digest(target)).toBe(before);
    // The same sentence as the commands that run the model.
    expect(dgs('sample', target, '--count', '1').stderr).toBe(r.stderr);
  });
});
