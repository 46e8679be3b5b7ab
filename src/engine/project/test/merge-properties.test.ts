/**
 * Property tests of merging (issue 14, item 3): random edit histories on two or three copies of one
 * project, merged in any order. For every sample (by seed) the states are compared by content — the
 * label map and shapes, or "none" — so a state made in one copy is recognised in any merge result.
 *
 * - no annotation lost: every state a copy changed a sample to is in the result (shown or in conflict);
 * - conflicts exactly where copies changed a sample to different states;
 * - merging a result with one of its inputs again changes nothing;
 * - merge order changes nothing but which side a conflict shows first.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeProjects, Project } from '../index';
import os from 'node:os';
import { sampleRows, squareMap, TINY, tinyModel } from './helpers';

const R = TINY.resolution;
const BASE_SEEDS = [1, 2, 3, 4];
const BASE_LABELED = [1, 2];
const ADDED_SEEDS = [50, 51];

type Op =
  | { kind: 'label'; pick: number; cls: number }
  | { kind: 'labelSame'; pick: number }
  | { kind: 'unlabel'; pick: number }
  | { kind: 'add'; seed: number }
  | { kind: 'deleteSample'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 5,
    arbitrary: fc.record({ kind: fc.constant('label' as const), pick: fc.nat(7), cls: fc.integer({ min: 0, max: 2 }) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('labelSame' as const), pick: fc.nat(7) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('unlabel' as const), pick: fc.nat(7) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('add' as const), seed: fc.constantFrom(...ADDED_SEEDS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('deleteSample' as const), pick: fc.nat(7) }) },
);

let tagCounter = 1000;

function mapFor(cls: number, tag: number): Uint8Array {
  const m = squareMap(cls);
  m[tag % m.length] = 2 - (tag % 3 === 0 ? 0 : 1); // a pixel that differs between edits
  return m;
}

function apply(p: Project, ops: Op[], deletedSeeds: Set<number>): void {
  for (const op of ops) {
    const live = p.listSamples();
    if (op.kind === 'add') {
      // A deleted seed is never added again (a corner the merge reports rather than resolves).
      if (!deletedSeeds.has(op.seed) && !live.some((s) => s.seed === op.seed)) p.addSamples(sampleRows([op.seed]));
      continue;
    }
    if (live.length === 0) continue;
    const s = live[op.pick % live.length];
    if (op.kind === 'label') {
      const tag = tagCounter++;
      p.saveAnnotation(s.id, { width: R, height: R, labelMap: mapFor(op.cls, tag), shapes: { tag } });
    } else if (op.kind === 'labelSame') {
      p.saveAnnotation(s.id, { width: R, height: R, labelMap: squareMap(1), shapes: { same: true } });
    } else if (op.kind === 'unlabel') {
      p.deleteAnnotation(s.id);
    } else {
      p.deleteSample(s.id);
      deletedSeeds.add(s.seed);
    }
  }
}

function key(labelMap: Uint8Array | null, shapes: unknown): string {
  if (!labelMap) return 'none';
  return createHash('sha256').update(labelMap).update(JSON.stringify(shapes)).digest('hex').slice(0, 16);
}

/** Per seed: the state shown, and every state in play (shown + waiting in conflict). */
interface SeedState {
  shown: string;
  all: string[];
}

function states(file: string): Map<number, SeedState> {
  const p = Project.open(file, { readonly: true });
  try {
    const out = new Map<number, SeedState>();
    for (const seed of [...BASE_SEEDS, ...ADDED_SEEDS]) out.set(seed, { shown: 'none', all: ['none'] });
    for (const s of p.listSamples()) {
      const a = p.getAnnotation(s.id);
      const shown = key(a?.labelMap ?? null, a?.shapes);
      const others = p
        .listConflicts()
        .filter((c) => c.sampleId === s.id)
        .map((c) => {
          const v = p.getConflictVersion(s.id, c.theirs.versionId);
          return key(v.labelMap, v.shapes);
        });
      out.set(s.seed, { shown, all: [shown, ...others].sort() });
    }
    // Annotation work never waits on a deleted sample.
    const dead = p.listConflicts().filter((c) => !p.getSample(c.sampleId));
    expect(dead).toEqual([]);
    return out;
  } finally {
    p.dispose();
  }
}

function makeCopies(dir: string, histories: Op[][]): { base: string; copies: string[] } {
  const p = Project.create(path.join(dir, 'P.dgs'), {
    classes: [{ name: 'background' }, { name: 'head' }, { name: 'hair' }],
    author: 'lead',
  });
  p.embedModel(tinyModel());
  for (const s of p.addSamples(sampleRows(BASE_SEEDS))) {
    if (BASE_LABELED.includes(s.seed))
      p.saveAnnotation(s.id, { width: R, height: R, labelMap: mapFor(1, s.seed), shapes: { base: s.seed } });
  }
  p.dispose();
  const copies = histories.map((ops, i) => {
    const file = path.join(dir, `copy${i}.dgs`);
    fs.copyFileSync(p.path, file);
    const c = Project.open(file, { author: `labeler${i}` });
    try {
      apply(c, ops, new Set());
    } finally {
      c.dispose();
    }
    return file;
  });
  return { base: p.path, copies };
}

let outCounter = 0;
function merge(dir: string, a: string, b: string): string {
  const out = path.join(dir, `m${outCounter++}.dgs`);
  mergeProjects(a, b, out, { author: 'merger' });
  return out;
}

/** What the properties demand of a merge of `copies` (any order), checked on `result`. */
function checkResult(
  base: Map<number, SeedState>,
  copies: Map<number, SeedState>[],
  result: Map<number, SeedState>,
): void {
  for (const [seed, b] of base) {
    const changed = [...new Set(copies.map((c) => c.get(seed)!.shown).filter((s) => s !== b.shown))].sort();
    const got = result.get(seed)!;
    const expected = changed.length === 0 ? [b.shown] : changed;
    expect({ seed, states: got.all }).toEqual({ seed, states: expected });
  }
}

function sameExceptConflictOrder(x: Map<number, SeedState>, y: Map<number, SeedState>): void {
  for (const [seed, a] of x) {
    const b = y.get(seed)!;
    expect({ seed, all: b.all }).toEqual({ seed, all: a.all });
    if (a.all.length === 1) expect({ seed, shown: b.shown }).toEqual({ seed, shown: a.shown });
  }
}

describe('merge properties (fast-check)', () => {
  it('two copies: nothing lost, conflicts exactly where both changed, idempotent, order only picks the side shown', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 8 }), fc.array(opArb, { maxLength: 8 }), (opsA, opsB) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-merge-prop-'));
        const { base, copies } = makeCopies(dir, [opsA, opsB]);
        const [sa, sb, s0] = [states(copies[0]), states(copies[1]), states(base)];
        const ab = merge(dir, copies[0], copies[1]);
        const ba = merge(dir, copies[1], copies[0]);
        const [rab, rba] = [states(ab), states(ba)];
        checkResult(s0, [sa, sb], rab);
        sameExceptConflictOrder(rab, rba);
        // Merging the same file twice changes nothing (either input, either side).
        for (const again of [
          merge(dir, ab, copies[1]),
          merge(dir, ab, copies[0]),
          merge(dir, copies[1], ab),
          merge(dir, ab, ab),
        ]) {
          sameExceptConflictOrder(rab, states(again));
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 25 },
    );
  });

  it('three copies merged in any order and grouping give the same states', () => {
    fc.assert(
      fc.property(
        fc.array(opArb, { maxLength: 6 }),
        fc.array(opArb, { maxLength: 6 }),
        fc.array(opArb, { maxLength: 6 }),
        (o1, o2, o3) => {
          const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-merge-prop-'));
          const { base, copies } = makeCopies(dir, [o1, o2, o3]);
          const [a, b, c] = copies;
          const expected = [states(a), states(b), states(c)];
          const s0 = states(base);
          const orders = [
            merge(dir, merge(dir, a, b), c),
            merge(dir, merge(dir, c, b), a),
            merge(dir, a, merge(dir, b, c)),
            merge(dir, merge(dir, b, a), merge(dir, c, a)),
          ].map(states);
          for (const r of orders) {
            checkResult(s0, expected, r);
            sameExceptConflictOrder(orders[0], r);
          }
          fs.rmSync(dir, { recursive: true, force: true });
        },
      ),
      { numRuns: 12 },
    );
  });
});
