/**
 * Real second processes (test/crash-child.ts): a project open in one process is refused to another
 * with "open elsewhere", the lock dies with a SIGKILLed holder, and a writer killed with SIGKILL amid a
 * stream of commits leaves a sound file holding every commit it reported.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Project } from '../index';
import { testRng } from '../../../shared/test/test-rng';
import { fingerprint, tempDir, tinyModel } from './helpers';

const CHILD = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const REPO = path.resolve(path.dirname(CHILD), '../../../..');

function startChild(
  mode: 'hold' | 'stream' | 'stall' | 'try',
  file: string,
): { child: ChildProcessWithoutNullStreams; lines: string[]; stderr: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, file], { cwd: REPO, stdio: 'pipe' });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    lines.push(...parts);
  });
  child.stderr.on('data', (d) => (err += String(d)));
  return { child, lines, stderr: () => err };
}

async function waitFor(cond: () => boolean, what: string, stderr: () => string, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; child stderr: ${stderr()}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function newProjectFile(): string {
  const p = Project.create(path.join(tempDir(), 'shared.dgs'), { classes: [{ name: 'background' }, { name: 'head' }] });
  p.embedModel(tinyModel());
  p.dispose();
  return p.path;
}

describe('two processes', () => {
  it('refuses a second process while one holds the project, and frees it when the holder is SIGKILLed', async () => {
    const file = newProjectFile();
    const holder = startChild('hold', file);
    await waitFor(() => holder.lines.includes('ready'), 'the holder to open the project', holder.stderr);
    expect(() => Project.open(file)).toThrow(
      `${file} is open in another DatasetGAN Studio window or command; close it there first.`,
    );
    expect(() => Project.open(file, { readonly: true })).toThrow(/open in another DatasetGAN Studio window/);
    holder.child.kill('SIGKILL');
    await once(holder.child, 'exit');
    const p = Project.open(file);
    expect(p.integrityCheck()).toEqual(['ok']);

    // A second open in this process is refused without touching the file: had it so much as read the
    // header through another descriptor, POSIX would have dropped this process's lock.
    expect(() => Project.open(file)).toThrow(/is open in another DatasetGAN Studio window/);
    expect(() => Project.open(file, { readonly: true })).toThrow(/is open in another DatasetGAN Studio window/);

    // So, the other way round, a child still gets the sentence while this process holds the project.
    const tryer = startChild('try', file);
    await once(tryer.child, 'exit');
    expect(tryer.lines[0]).toBe(
      `UserError: ${file} is open in another DatasetGAN Studio window or command; close it there first.`,
    );
    p.dispose();
  });

  it('keeps every reported commit of a writer killed with SIGKILL amid a stream of writes', async () => {
    const file = newProjectFile();
    const delays = testRng('stream kill delays');
    for (const killAfter of [25, 60]) {
      const writer = startChild('stream', file);
      await waitFor(() => writer.lines.length >= killAfter, `${killAfter} commits`, writer.stderr);
      await new Promise((r) => setTimeout(r, delays.uniform() * 15)); // anywhere in the stream
      writer.child.kill('SIGKILL');
      await once(writer.child, 'exit');
      const reported = writer.lines.filter((l) => /^[0-9a-f-]{36}$/.test(l));
      expect(reported.length).toBeGreaterThanOrEqual(killAfter);
      const p = Project.open(file);
      expect(p.integrityCheck()).toEqual(['ok']);
      const have = new Set(p.listSamples().map((s) => s.id));
      expect(
        reported.filter((id) => !have.has(id)),
        `reported commits missing after SIGKILL; ${delays.note}`,
      ).toEqual([]);
      for (const s of p.listSamples()) {
        if (s.seed % 3 === 0) expect(p.getAnnotation(s.id)?.shapes).toEqual({ seed: s.seed }); // sample and annotation: one transaction
      }
      p.dispose();
    }
  });

  it('rolls back a transaction whose writer was SIGKILLed halfway through writing the file', async () => {
    const file = newProjectFile();
    const writer = startChild('stall', file);
    await waitFor(() => writer.lines.includes('stalled'), 'the writer to stall inside a transaction', writer.stderr);
    writer.child.kill('SIGKILL');
    await once(writer.child, 'exit');
    const committed = writer.lines.filter((l) => /^[0-9a-f-]{36}$/.test(l));
    expect(committed.length).toBe(3);
    const journal = `${file}-journal`;
    expect(fs.readFileSync(journal)[0], 'the kill should leave a hot journal').not.toBe(0);

    // Read-only opening cannot roll back, so it refuses and touches nothing.
    const before = fingerprint(file);
    expect(() => Project.open(file, { readonly: true })).toThrow(
      /was not closed properly and needs a repair that writes to it; open it once for editing/,
    );
    const after = fingerprint(file);
    expect(after.bytes.equals(before.bytes)).toBe(true);
    expect(after.siblings).toEqual(before.siblings);

    const p = Project.open(file); // SQLite rolls the hot journal back
    expect(p.integrityCheck()).toEqual(['ok']);
    expect(p.listSamples().map((s) => s.id)).toEqual(committed);
    expect(p.getSetting('big')).toBe('c'.repeat(20 * 1024 * 1024)); // the third commit's value
    p.dispose();
    expect(fs.existsSync(journal)).toBe(false);
  });
});
