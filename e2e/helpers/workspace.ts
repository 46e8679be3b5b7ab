/**
 * A scratch folder for one e2e file, with `dgs` run in it as a user would (a real child process) and the
 * CLI's remembered settings kept inside it; plus label files from the demo's committed annotations.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const DEMO_LABELS = path.resolve('assets/demo-project/annotations');

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
   * A project of the demo model made as a user would with `dgs`: `samples` seeded from 0 at ψ 1, the
   * demo's labels imported by "demo" for `labels` (seed → the demo label file), and one quick
   * interpreter trained (no cross-validation) for each ensemble size in `trainings`, in order.
   */
  project(
    file: string,
    opts: { samples: number; labels?: Record<number, number>; classes?: string; trainings?: number[] },
  ): string {
    this.dgs('init', file, '--model', 'default', ...(opts.classes ? ['--classes', opts.classes] : []));
    this.dgs('sample', file, '--count', String(opts.samples), '--seed', '0', '--psi', '1');
    if (opts.labels) this.dgs('label', 'import', file, this.labels('labels', opts.labels), '--author', 'demo');
    for (const members of opts.trainings ?? [])
      this.dgs('train', file, '--models', String(members), '--quick', '--cv-folds', '0');
    return file;
  }

  /**
   * Two labelers' copies of one project of `samples` samples, a.dgs and b.dgs, whose work overlaps on
   * seed 1: alice labeled seeds 0 and 1, bob seeds 1 (with another demo map) and 2.
   */
  labelerCopies(samples: number): { a: string; b: string } {
    const p = this.project(this.path('p.dgs'), { samples });
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
