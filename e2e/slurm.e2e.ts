/**
 * Scale-out on a real Slurm cluster (docs/scale-out.md, "Slurm: job array"): a single-node cluster
 * started by tools/slurm-local.sh, the documented array script taken from the docs page itself, the demo
 * project, one task cancelled while it writes and submitted again (it resumes), the shards merged with
 * `dgs manifest merge` — and the dataset byte-identical to `dgs generate` of the same run on one machine.
 * Skips, saying why, where slurmctld is not installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalCompute } from '../src/compute';
import { buildDemoProject } from '../src/engine/jobs/demo';
import { treeDifferences } from '../src/node/dataset-writer/test/helpers';
import { Workspace } from './helpers/workspace';

const SLURMCTLD = '/usr/sbin/slurmctld';
const hasSlurm = fs.existsSync(SLURMCTLD);
if (!hasSlurm)
  console.log(`Slurm e2e skipped: ${SLURMCTLD} is missing (install Debian's slurm-wlm and munge; .ci/run does).`);

const COUNT = 200;
const SHARDS = 4;

/** The array script of docs/scale-out.md: the first shell block of its Slurm section. */
function documentedScript(): string {
  const page = fs.readFileSync('docs/scale-out.md', 'utf8');
  const section = page.slice(page.indexOf('## Slurm: job array'));
  const m = /```sh\n(#!\/bin\/bash\n[\s\S]*?)```/.exec(section);
  if (!m) throw new Error('docs/scale-out.md has no Slurm array script');
  return m[1];
}

describe.skipIf(!hasSlurm)('dgs generate as a Slurm job array', () => {
  const ws = new Workspace('dgs-e2e-slurm-');
  // Outside the workspace (private to this user): munged runs as its own user and must reach it.
  const cluster = path.join(os.tmpdir(), `dgs-e2e-slurm-cluster-${process.pid}`);
  const project = ws.path('demo.dgs');
  const out = ws.path('shards');
  let env: NodeJS.ProcessEnv;

  const slurm = (cmd: string, ...args: string[]) => execFileSync(cmd, args, { env, encoding: 'utf8', cwd: ws.dir });
  const gone = async (job: string) => {
    for (let i = 0; i < 3000 && slurm('squeue', '-h', '-j', job).trim() !== ''; i++)
      await new Promise((r) => setTimeout(r, 200));
    expect(slurm('squeue', '-h', '-j', job).trim()).toBe('');
  };

  beforeAll(async () => {
    const conf = execFileSync('tools/slurm-local.sh', ['up', cluster], { encoding: 'utf8' });
    const slurmConf = /export SLURM_CONF=(\S+)/.exec(conf)![1];
    // `dgs` on the PATH, as on a cluster's nodes.
    const bin = ws.path('bin');
    fs.mkdirSync(bin);
    fs.symlinkSync(path.resolve('bin/dgs.js'), path.join(bin, 'dgs'));
    env = {
      ...ws.env(),
      SLURM_CONF: slurmConf,
      PATH: `${bin}:${process.env.PATH}`,
      PROJECT: project,
      OUT: out,
      COUNT: String(COUNT),
    };
    const compute = openLocalCompute();
    try {
      await buildDemoProject(project, compute);
    } finally {
      await compute.dispose();
    }
    ws.dgs('train', project, '--quick', '--models', '2', '--cv-folds', '0');
    fs.writeFileSync(ws.path('generate.sbatch'), documentedScript());
  });
  afterAll(() => {
    spawnSync('tools/slurm-local.sh', ['down', cluster], { stdio: 'inherit' });
    fs.rmSync(ws.dir, { recursive: true, force: true });
  });

  it('shards the demo across array tasks, survives a cancelled task by resuming it, and merges to the single-machine dataset', async () => {
    const job = slurm('sbatch', '--parsable', 'generate.sbatch').trim();
    expect(job).toMatch(/^\d+$/);
    // Cancel task 2 once it is writing its shard.
    const manifest = path.join(out, 'shard-2', 'manifest.jsonl');
    const written = () => (fs.existsSync(manifest) ? fs.readFileSync(manifest, 'utf8').split('\n').length - 1 : 0);
    for (let i = 0; i < 3000 && written() < 3; i++) await new Promise((r) => setTimeout(r, 100));
    expect(written()).toBeGreaterThanOrEqual(3);
    slurm('scancel', `${job}_2`);
    await gone(job);
    const perShard = JSON.parse(fs.readFileSync(path.join(out, 'shard-0', 'run.json'), 'utf8')) as {
      generated: number;
    };
    // Shard 2 holds the samples k ≡ 2 (mod 4) of the run's G; cancelled, it has fewer.
    expect(written()).toBeLessThan(Math.floor((perShard.generated - 1 - 2) / SHARDS) + 1);
    // The merge refuses the short shard, with a sentence.
    const early = spawnSync('dgs', ['manifest', 'merge', ...shardDirs(out), '--out', ws.path('early')], {
      env,
      encoding: 'utf8',
    });
    expect(early.status).toBe(1);
    expect(early.stderr).toMatch(/shard-2/);

    const again = slurm('sbatch', '--parsable', '--array=2', 'generate.sbatch').trim();
    await gone(again);
    for (let s = 0; s < SHARDS; s++)
      expect(fs.readFileSync(path.join(ws.dir, `dgs-generate-${s === 2 ? again : job}_${s}.out`), 'utf8')).toMatch(
        /Shard done: \d+ samples/,
      );
    const merged = ws.path('dataset');
    expect(slurm('dgs', 'manifest', 'merge', ...shardDirs(out), '--out', merged)).toMatch(
      new RegExp(`^Generated \\d+ labeled samples into .*: kept ${COUNT}, `),
    );
    const single = ws.path('single');
    ws.dgs(
      'generate',
      project,
      '--count',
      String(COUNT),
      '--filter',
      '0.1',
      '--seed',
      '0',
      '--format',
      'png,coco,voc,yolo',
      '--out',
      single,
    );
    expect(treeDifferences(merged, single)).toEqual([]);
  }, 1_800_000);
});

function shardDirs(out: string): string[] {
  return Array.from({ length: SHARDS }, (_, s) => path.join(out, `shard-${s}`));
}
