/** Who is working: --author, DGS_AUTHOR, or asked once on a terminal and remembered — never guessed. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliSettingsFile, knownAuthor, requireAuthor } from '../author';

let dir: string;
const saved = { config: process.env.DGS_CONFIG_DIR, author: process.env.DGS_AUTHOR };

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-author-'));
  process.env.DGS_CONFIG_DIR = dir;
  delete process.env.DGS_AUTHOR;
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of [
    ['DGS_CONFIG_DIR', saved.config],
    ['DGS_AUTHOR', saved.author],
  ] as const) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function terminal(answer: string | null): {
  input: PassThrough & { isTTY: boolean };
  output: PassThrough;
  asked: () => string;
} {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = new PassThrough();
  let asked = '';
  output.on('data', (d) => (asked += String(d)));
  if (answer === null) input.end();
  else input.write(`${answer}\n`);
  return { input, output, asked: () => asked };
}

describe('the author of a command', () => {
  it('asks once on a terminal, remembers the answer, and does not ask again', async () => {
    const t = terminal('  Ada Lovelace ');
    expect(await requireAuthor({}, 'dgs label import', t)).toBe('Ada Lovelace');
    expect(t.asked()).toContain(
      `dgs label import records who made each change. Your name (asked once, kept in ${cliSettingsFile()}): `,
    );
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'cli.json'), 'utf8'))).toEqual({ author: 'Ada Lovelace' });
    const again = terminal(null);
    expect(await requireAuthor({}, 'dgs merge', again)).toBe('Ada Lovelace');
    expect(again.asked()).toBe('');
  });

  it('takes --author first, then DGS_AUTHOR, and refuses without a terminal rather than guessing', async () => {
    process.env.DGS_AUTHOR = 'env person';
    expect(knownAuthor({ author: 'flag person' })).toBe('flag person');
    expect(knownAuthor({})).toBe('env person');
    delete process.env.DGS_AUTHOR;
    expect(knownAuthor({})).toBeNull();
    const pipe = Object.assign(new PassThrough(), { isTTY: false });
    await expect(requireAuthor({}, 'dgs resolve', { input: pipe, output: new PassThrough() })).rejects.toThrow(
      'dgs resolve records who made each change; give your name with --author NAME or the DGS_AUTHOR environment variable.',
    );
    expect(() => knownAuthor({ author: 'two\nlines' })).toThrow(
      /An author name must be 1 to 100 characters without control characters/,
    );
    await expect(requireAuthor({}, 'dgs merge', terminal(''))).rejects.toThrow(
      /An author name must be 1 to 100 characters/,
    );
    expect(fs.existsSync(path.join(dir, 'cli.json'))).toBe(false);
  });
});
