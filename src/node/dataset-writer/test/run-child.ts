/**
 * Child process for the kill test: runs a slow generation into argv[2] (argv[3] = 'resume' to continue), printing one
 * line per finished batch so the parent knows when to SIGKILL it.
 */
import { runGeneration } from '../generate';
import { KILL_TEST_OPTIONS, shapeSource } from './shape-source';

const [outDir, resume] = process.argv.slice(2);
runGeneration(shapeSource({ delayMs: 4 }), {
  ...KILL_TEST_OPTIONS,
  outDir,
  resume: resume === 'resume',
  onProgress: (p) => process.stdout.write(`progress ${p.phase} ${p.done}\n`),
}).then(
  () => process.stdout.write('done\n'),
  (e) => {
    process.stderr.write(String(e?.stack ?? e) + '\n');
    process.exit(1);
  },
);
