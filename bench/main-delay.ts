/**
 * bench/main-delay: does the process that owns the UI's API (Electron main, or `dgs serve`) stay
 * responsive while the interpreter trains? The same StudioHost the app runs is driven here twice on the
 * demo project: with compute in its own process (the app's design) and, for contrast, with compute in
 * the owner's own thread (what running onnxruntime in Electron main would do). During each training job
 * it samples the event loop's delay (perf_hooks.monitorEventLoopDelay) and times annotation saves made
 * every 100 ms, as autosave would. Prints JSON.
 *
 * Usage: npx tsx bench/main-delay.ts [--members 10]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openLocalCompute } from '../src/compute';
import { computeProcessScript } from '../src/compute/compute-process-path';
import { computeOver, type Compute } from '../src/shared/compute-api';
import type { ApiEvent } from '../src/shared/api';
import { createHandlers } from '../src/engine/api/handlers';
import { StudioHost } from '../src/engine/api/studio-host';
import { stubServices } from '../src/engine/api/test/stub-host';
import { childProcessLauncher } from '../src/engine/compute-client/child-process';
import { ComputeSupervisor } from '../src/engine/compute-client/supervisor';
import { buildDemoProject } from '../src/engine/jobs/demo';

const { values } = parseArgs({ options: { members: { type: 'string', default: '10' } } });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-bench-delay-'));
const file = path.join(tmp, 'demo.dgs');
{
  const local = openLocalCompute();
  await buildDemoProject(file, local);
  await local.dispose();
}

// Dialogs choose nothing, as in the handler tests.
const services = stubServices();

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN;
}

async function measure(label: string, compute: Compute) {
  const host = new StudioHost(services, compute);
  const handlers = createHandlers(host);
  await host.openProject(file);
  // Warm the generator, so the measurement covers training, not the first model load.
  await handlers['samples:list']({});
  const [first] = host.open.project.listAnnotations();
  const sampleId = first.sampleId;
  const labelMap = host.open.project.getAnnotation(sampleId)!.labelMap;
  const done = new Promise<ApiEvent>((resolve) =>
    host.onEvent((e) => {
      if (e.type === 'job' && e.kind === 'train' && e.state !== 'running' && e.state !== 'started') resolve(e);
    }),
  );
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  const saves: number[] = [];
  let revision = host.open.project.getAnnotation(sampleId)!.revision;
  let stop = false;
  const autosave = (async () => {
    while (!stop) {
      await new Promise((r) => setTimeout(r, 100));
      const t0 = performance.now();
      const r = await handlers['annotation:save']({
        sampleId,
        labelMap,
        shapes: [],
        baseRevision: revision,
        author: 'bench',
      });
      saves.push(performance.now() - t0);
      revision = r.revision;
    }
  })();
  histogram.enable();
  const t0 = performance.now();
  await handlers['train:start']({ members: Number(values.members), quick: true });
  const end = await done;
  const seconds = (performance.now() - t0) / 1000;
  histogram.disable();
  stop = true;
  await autosave;
  await host.dispose();
  if (end.type !== 'job' || end.state !== 'done') throw new Error(`${label}: training ended ${JSON.stringify(end)}`);
  const s = [...saves].sort((a, b) => a - b);
  return {
    compute: label,
    trainingSeconds: +seconds.toFixed(2),
    eventLoopDelayMs: {
      p50: +(histogram.percentile(50) / 1e6).toFixed(1),
      p99: +(histogram.percentile(99) / 1e6).toFixed(1),
      max: +(histogram.max / 1e6).toFixed(1),
    },
    autosaves: saves.length,
    saveMs: {
      p50: +quantile(s, 0.5).toFixed(1),
      p99: +quantile(s, 0.99).toFixed(1),
      max: +(s.at(-1) ?? NaN).toFixed(1),
    },
  };
}

const separate = await measure(
  'separate process (the app)',
  computeOver(new ComputeSupervisor(childProcessLauncher(computeProcessScript())).core),
);
const inThread = await measure('same thread (contrast)', openLocalCompute());
console.log(
  JSON.stringify(
    {
      bench: 'main-delay',
      cpus: os.availableParallelism(),
      members: Number(values.members),
      target: 'event-loop delay p99 ≤ 50 ms while training',
      runs: [separate, inThread],
      p99Ratio: +(inThread.eventLoopDelayMs.p99 / separate.eventLoopDelayMs.p99).toFixed(1),
    },
    null,
    2,
  ),
);
fs.rmSync(tmp, { recursive: true, force: true });
