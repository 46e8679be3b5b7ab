/**
 * Child process for the kill test: runs a slow generation into argv[2] (count argv[3]), printing one
 * line per finished batch so the parent knows when to SIGKILL it.
 */
import { runGeneration } from '../generate';
import { shapeSource } from './shape-source';

const [outDir, count, resume] = process.argv.slice(2);
runGeneration(shapeSource({ delayMs: 15 }), {
  outDir, count: Number(count), filter: 0.2, formats: ['coco', 'voc', 'yolo'], seed: 7, batch: 3, resume: resume === 'resume',
  onProgress: (p) => process.stdout.write(`progress ${p.done}\n`),
}).then(
  () => process.stdout.write('done\n'),
  (e) => { process.stderr.write(String(e?.stack ?? e) + '\n'); process.exit(1); },
);
