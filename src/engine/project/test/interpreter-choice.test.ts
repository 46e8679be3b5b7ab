/**
 * The interpreter in use (interpreter-choice.ts), in real project files: the newest takes over only when
 * its cross-validated mIoU is not lower; one without a mIoU (its report has not arrived) does not take
 * over from one with a mIoU; the user's pick holds against older and worse interpreters, and newer ones
 * still compete with it; ids are found by their start, and an unknown one is a sentence.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isUserError } from '../../../shared/errors';
import { Project } from '../index';
import {
  chooseInterpreter,
  findInterpreter,
  interpreterInUse,
  interpreterStandings,
  INTERPRETER_SETTING,
} from '../interpreter-choice';
import { tempDir, tinyModel, TRAIN_OPTIONS as OPTIONS } from './helpers';

function project(): Project {
  const p = Project.create(path.join(tempDir(), 'p.dgs'), { classes: [{ name: 'background' }, { name: 'head' }] });
  p.embedModel(tinyModel());
  return p;
}

/** An interpreter with this cross-validated mIoU (null: no report), stored a moment after the previous one. */
async function trained(p: Project, miou: number | null, members = 3): Promise<string> {
  await new Promise((r) => setTimeout(r, 3));
  const config = {
    format: 'dgs-interpreter',
    version: 1,
    members,
    numClasses: 2,
    labelResolution: 16,
    features: [{ name: 'f4', channels: 4, resolution: 4 }],
    hidden: [128, 32],
    bnEps: 1e-5,
    options: OPTIONS,
    stepsPerMember: Array<number>(members).fill(10),
    stoppedEpoch: Array<number>(members).fill(1),
  };
  const metrics = {
    miou,
    perClass: [miou, miou],
    folds: miou === null ? 0 : 2,
    wallSeconds: 1,
    cvSeconds: 0,
    provider: 'cpu',
    classPixels: [1, 1],
  };
  return p.saveInterpreter({ config, metrics, weights: new Uint8Array([1]) }).id;
}

const inUse = (p: Project) => interpreterInUse(p, p.getModel()!.sha256)?.id ?? null;

function sentence(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(isUserError(e), String(e)).toBe(true);
    return (e as Error).message;
  }
  throw new Error('no error');
}

describe('the interpreter in use', () => {
  it('is none without interpreters, then the newest whose mIoU is not lower than the one in use', async () => {
    const p = project();
    expect(inUse(p)).toBeNull();
    const a = await trained(p, 0.5);
    expect(inUse(p)).toBe(a);
    const b = await trained(p, 0.5);
    expect(inUse(p), 'equal is not lower').toBe(b);
    const c = await trained(p, 0.42);
    expect(inUse(p), 'a lower mIoU does not take over').toBe(b);
    const d = await trained(p, 0.61);
    expect(inUse(p), 'compared with the one in use, not with the one just before').toBe(d);
    const standings = interpreterStandings(p, p.getModel()!.sha256);
    expect(standings.map((s) => s.id)).toEqual([d, c, b, a]);
    expect(standings.filter((s) => s.inUse).map((s) => s.id)).toEqual([d]);
    expect(standings.find((s) => s.id === c)!.note).toBe(
      'Not used: its cross-validated mIoU 42.0 % is lower than the 50.0 % of the one in use.',
    );
    // The one in use is not called "the newest" while a newer, worse one waits.
    expect(standings.find((s) => s.id === d)!.note).toBe(
      'In use: newer, and its cross-validated mIoU is not lower than the 50.0 % of the one before.',
    );
    p.dispose();
  });

  it('does not hand over to one whose cross-validated report has not arrived, unless none has a report', async () => {
    const p = project();
    const first = await trained(p, null);
    const second = await trained(p, null);
    expect(inUse(p), 'without reports the newest is used').toBe(second);
    const measured = await trained(p, 0.3);
    expect(inUse(p), 'a measured one takes over from an unmeasured one').toBe(measured);
    const pending = await trained(p, null);
    expect(inUse(p)).toBe(measured);
    expect(interpreterStandings(p, p.getModel()!.sha256).find((s) => s.id === pending)!.note).toBe(
      'Not used yet: it has no cross-validated mIoU to compare with the 30.0 % of the one in use.',
    );
    expect(first).not.toBe(second);
    p.dispose();
  });

  it("keeps the user's pick against older and worse ones; newer ones compete with it; null goes back to the rule", async () => {
    const p = project();
    const sha = p.getModel()!.sha256;
    const a = await trained(p, 0.5);
    const b = await trained(p, 0.7);
    chooseInterpreter(p, sha, a);
    expect(inUse(p), 'the pick holds although a newer, better one exists').toBe(a);
    expect(interpreterStandings(p, sha).find((s) => s.id === a)!.note).toMatch(/^In use: you picked it\./);
    const worse = await trained(p, 0.45);
    expect(inUse(p)).toBe(a);
    const better = await trained(p, 0.55);
    expect(inUse(p), 'trained after the pick and not worse than it').toBe(better);
    chooseInterpreter(p, sha, null);
    expect(p.getSetting(INTERPRETER_SETTING)).toBeUndefined();
    expect(inUse(p), 'the rule from the first: b (0.7) is not beaten by 0.45 or 0.55').toBe(b);
    expect(worse).not.toBe(better);
    p.dispose();
  });

  it('finds an interpreter by the start of its id, and says so when there is none', async () => {
    const p = project();
    const sha = p.getModel()!.sha256;
    const a = await trained(p, 0.5);
    await trained(p, 0.6);
    expect(findInterpreter(p, sha, a.slice(0, 8))).toBe(a);
    expect(interpreterInUse(p, sha, a.slice(0, 8).toUpperCase())!.id, '--interpreter overrides the rule').toBe(a);
    expect(sentence(() => findInterpreter(p, sha, 'zzzz'))).toBe(
      `${p.path} has no interpreter zzzz for its model; \`dgs info ${p.path}\` lists them.`,
    );
    expect(sentence(() => chooseInterpreter(p, sha, 'nope'))).toMatch(/has no interpreter nope/);
    p.dispose();
  });

  it('falls back to the rule when the picked interpreter was deleted', async () => {
    const p = project();
    const sha = p.getModel()!.sha256;
    const a = await trained(p, 0.5);
    const b = await trained(p, 0.6);
    chooseInterpreter(p, sha, a);
    p.deleteInterpreter(a);
    expect(inUse(p)).toBe(b);
    p.dispose();
  });
});
