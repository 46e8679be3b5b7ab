/**
 * What the documentation says about class 0 matches what `dgs init` does: the first class given is class
 * 0, whatever its name, and nothing is put in front of it. No page may still describe the old rule (a
 * black "background" put in front of classes not starting with one).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classSpecsFromNames } from '../../src/shared/presets';

const pages = [
  'README.md',
  ...fs
    .readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => path.join('docs', f)),
];

describe('the docs on class 0', () => {
  it('match the code: the first class given is class 0', () => {
    expect(classSpecsFromNames(['sky', 'ground']).map((c) => c.name)).toEqual(['sky', 'ground']);
    const stale = pages.filter((p) => /background is put in front/i.test(fs.readFileSync(p, 'utf8')));
    expect(stale).toEqual([]);
    expect(fs.readFileSync('docs/project-file.md', 'utf8')).toMatch(/the first is class 0 whatever\s+its name/);
  });
});
