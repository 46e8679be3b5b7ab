/**
 * bench/generator-memory: what a loaded generator costs the process's resident memory, in the ways a
 * training can use it (docs/benchmarks.md, "The training's maps from a session of their own"):
 *   idle:   the generator loaded, no forward;
 *   shared: the same generator runs `forwards` forwards with their feature maps (the maps then dropped);
 *   loader: beside the idle one, a second session without a CPU arena runs them and is closed;
 *   parked: as loader, with the first generator parked (its sessions closed, the bundle kept) before,
 *           as a training does; `reopenMs` is its next forward's time against a forward on open sessions.
 * Each way runs in its own child process, so every figure is that process's own. Prints one JSON line.
 *
 *   npx tsx bench/generator-memory.ts BUNDLE_DIR [--forwards 3] [--repeats 2]
 */
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { readBundleDir } from '../src/node/bundle/bundle';
import { Generator } from '../src/compute/generator/generator';

type Way = 'idle' | 'shared' | 'loader' | 'parked';
const mib = (bytes: number) => Math.round(bytes / 1048576);

async function child(dir: string, way: Way, forwards: number): Promise<void> {
  const bundle = readBundleDir(dir);
  const gen = await Generator.load(bundle, { provider: 'cpu' });
  const loaded = mib(process.memoryUsage().rss);
  const w = new Float32Array(bundle.manifest.wDim).fill(0.1);
  // In a function of its own, so no frame keeps the last forward's maps alive.
  const forward = async (g: Generator) => (await g.generateFromW(w, 1, bundle.manifest.defaultPsi, true)).images.length;
  if (way === 'shared') for (let i = 0; i < forwards; i++) await forward(gen);
  if (way === 'parked') await gen.park();
  if (way === 'loader' || way === 'parked') {
    const loader = await Generator.load(bundle, { provider: ['cpu'], arena: false });
    for (let i = 0; i < forwards; i++) await forward(loader);
    await loader.dispose();
  }
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((r) => setTimeout(r, 300));
  gc?.();
  const after = mib(process.memoryUsage().rss);
  const peak = Math.round(process.resourceUsage().maxRSS / 1024);
  // The parked generator's next forward opens its sessions again; the one after it runs on them open.
  const timed = async () => {
    const t0 = performance.now();
    await forward(gen);
    return Math.round(performance.now() - t0);
  };
  const times = way === 'parked' ? { reopenMs: await timed(), openMs: await timed() } : {};
  console.log(JSON.stringify({ way, loadedMiB: loaded, afterMiB: after, peakMiB: peak, ...times }));
  await gen.dispose();
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      forwards: { type: 'string', default: '3' },
      repeats: { type: 'string', default: '2' },
      child: { type: 'string' },
    },
  });
  const dir = positionals[0];
  if (!dir) throw new Error('usage: npx tsx bench/generator-memory.ts BUNDLE_DIR [--forwards 3] [--repeats 2]');
  const forwards = Number(values.forwards);
  if (values.child) return child(dir, values.child as Way, forwards);
  const runs: Record<Way, unknown[]> = { idle: [], shared: [], loader: [], parked: [] };
  // Alternated, so a change of load over the run touches every way alike.
  for (let r = 0; r < Number(values.repeats); r++) {
    for (const way of ['idle', 'shared', 'loader', 'parked'] as Way[]) {
      const p = spawnSync(
        process.execPath,
        [...process.execArgv, '--expose-gc', process.argv[1], dir, '--forwards', String(forwards), '--child', way],
        { encoding: 'utf8' },
      );
      if (p.status !== 0) throw new Error(`the ${way} child failed: ${p.stderr.slice(-500)}`);
      runs[way].push(JSON.parse(p.stdout.trim().split('\n').pop()!));
    }
  }
  console.log(JSON.stringify({ bench: 'generator-memory', bundle: dir, forwards, runs }));
}

await main();
