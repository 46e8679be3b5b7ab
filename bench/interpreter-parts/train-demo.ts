/**
 * Training cost on the built-in demo's shape: 16 annotated samples at 64², ~740 feature dims, 9 classes
 * (a separable synthetic problem with those shapes). Runs the ensemble and its cross-validation with
 * the given preset and prints one JSON line (wall and CPU seconds, steps, mIoU).
 *
 *   npx tsx bench/interpreter-parts/train-demo.ts [quick|official] [threads=0]
 */
import {
  DEFAULT_TRAIN_OPTIONS,
  QUICK_TRAIN_OPTIONS,
  trainInterpreter,
} from '../../src/compute/interpreter/train/train-interpreter';
import { demoShapes, separableSample } from '../../src/compute/interpreter/test/synthetic';

async function main(): Promise<void> {
  const preset = process.argv[2] === 'official' ? 'official' : 'quick';
  const threads = Number(process.argv[3] ?? 0);
  const L = 64;
  const C = 9;
  const samples = Array.from({ length: 16 }, (_, i) => separableSample(demoShapes(), L, C, i + 1));
  const options = { ...(preset === 'quick' ? QUICK_TRAIN_OPTIONS : DEFAULT_TRAIN_OPTIONS), threads };
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const trained = await trainInterpreter({ samples, labelResolution: L, numClasses: C, options });
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      bench: 'interpreter-train-demo',
      preset,
      featureDims: demoShapes().reduce((a, f) => a + f.channels, 0),
      members: trained.config.members,
      stepsPerMember: trained.config.stepsPerMember,
      folds: trained.metrics.folds,
      miou: trained.metrics.miou,
      wallSeconds: (performance.now() - t0) / 1000,
      cvSeconds: trained.metrics.cvSeconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      loadAverage: (await import('node:os')).loadavg()[0],
    }),
  );
}

void main();
