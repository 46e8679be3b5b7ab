/**
 * A scratch folder for one e2e file, with `dgs` run in it as a user would (a real child process) and the
 * CLI's remembered settings kept inside it; plus label files from the demo's committed annotations.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DEMO_LABELS = path.resolve('assets/demo-project/annotations');

export interface ProjectOptions {
  samples: number;
  labeled?: number;
  author?: string;
  train?: boolean;
  trainings?: number[];
  classes?: string;
}

export class Workspace {
  readonly dir: string;

  constructor(prefix: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  }

  path(...parts: string[]): string {
    return path.join(this.dir, ...parts);
  }

  /** The environment `dgs` and `dgs serve` run with here. */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, DGS_PROVIDER: '', DGS_CONFIG_DIR: this.path('config'), DGS_AUTHOR: '' };
  }

  /** Run `dgs`; its stdout, or an error with its stderr. */
  dgs(...args: string[]): string {
    const r = spawnSync(process.execPath, [path.resolve('bin/dgs.js'), ...args], { encoding: 'utf8', env: this.env() });
    if (r.status !== 0) throw new Error(`dgs ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  }

  /** A folder of label PNGs named seed-<seed>.png, each a copy of the demo's label file for seed `from`. */
  labels(name: string, files: Record<number, number>): string {
    const dir = this.path(name);
    fs.mkdirSync(dir);
    for (const [seed, from] of Object.entries(files))
      fs.copyFileSync(path.join(DEMO_LABELS, `seed-${from}.png`), path.join(dir, `seed-${seed}.png`));
    return dir;
  }

  /**
   * A project made with `dgs` as a user would: the demo model, `samples` samples from seed 0 at ψ 1 (the
   * demo's labels were drawn on those), the demo's labels for the first `labeled` of them (by `author`),
   * a small quick interpreter when `train` is set, and one quick interpreter (no cross-validation) for
   * each ensemble size in `trainings`, in order; `classes` names the classes as `dgs init --classes` does.
   */
  project(name: string, opts: ProjectOptions): string {
    const file = this.path(name);
    this.dgs('init', file, '--model', 'default', ...(opts.classes ? ['--classes', opts.classes] : []));
    if (opts.samples > 0) this.dgs('sample', file, '--count', String(opts.samples), '--seed', '0', '--psi', '1');
    if (opts.labeled) {
      const seeds = Object.fromEntries(Array.from({ length: opts.labeled }, (_, i) => [i, i]));
      this.dgs('label', 'import', file, this.labels(`${name}-labels`, seeds), '--author', opts.author ?? 'demo');
    }
    for (const members of [...(opts.train ? [2] : []), ...(opts.trainings ?? [])])
      this.dgs('train', file, '--models', String(members), '--quick', '--cv-folds', '0');
    return file;
  }

  /**
   * Two labelers' copies of one project of `samples` samples, a.dgs and b.dgs, whose work overlaps on
   * seed 1: alice labeled seeds 0 and 1, bob seeds 1 (with another demo map) and 2.
   */
  labelerCopies(samples: number): { a: string; b: string } {
    const p = this.project('p.dgs', { samples });
    const [a, b] = [this.path('a.dgs'), this.path('b.dgs')];
    fs.copyFileSync(p, a);
    fs.copyFileSync(p, b);
    this.dgs('label', 'import', a, this.labels('a-labels', { 0: 0, 1: 1 }), '--author', 'alice');
    this.dgs('label', 'import', b, this.labels('b-labels', { 1: 5, 2: 2 }), '--author', 'bob');
    return { a, b };
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
