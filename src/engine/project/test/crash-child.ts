/**
 * A second process for the concurrency tests (run with `node --import tsx`):
 *   hold <file>    open the project for editing, print "ready", then wait to be killed;
 *   stream <file>  add one sample per transaction (every third one with its annotation) forever,
 *                  printing the sample id after each commit, until killed.
 *   stall <file>   commit 3 transactions of a sample plus a 20 MB setting (ids printed), then in the
 *                  4th, after rewriting that setting has overflowed SQLite's page cache into the file,
 *                  print "stalled" and wait inside the open transaction to be killed: a crash in the
 *                  middle of a write, which leaves a hot journal for the next open to roll back;
 *   try <file>     try to open the project for editing and print the error message (or "opened").
 */
import fs from 'node:fs';
import { Project } from '../index';
import { sampleRows, squareMap, TINY } from './tiny-data';

const [mode, file] = process.argv.slice(2);
const say = (line: string): void => {
  fs.writeSync(1, `${line}\n`); // synchronous: the line is out before the next transaction starts
};

if (mode === 'try') {
  try {
    Project.open(file).dispose();
    say('opened');
  } catch (e) {
    say(`${(e as Error).name}: ${(e as Error).message}`);
  }
} else {
  const p = Project.open(file);
  if (mode === 'hold') {
    say('ready');
    // Keep `p` reachable: a garbage-collected connection closes, and its lock goes with it.
    setInterval(() => p.isOpen, 1000);
  } else if (mode === 'stall') {
    const first = Math.max(999, ...p.listSamples().map((s) => s.seed)) + 1;
    for (let round = 0; ; round++) {
      const [added] = p.transaction(() => {
        const rows = p.addSamples(sampleRows([first + round]));
        // Same length every round, so SQLite overwrites the old pages in place: they must go to the
        // journal first, and 20 MB overflows the page cache (better-sqlite3 spills at ~15 MB), so the journal is synced (made hot) mid-way.
        p.setSetting('big', String.fromCharCode(97 + round).repeat(20 * 1024 * 1024));
        if (round === 3) {
          say('stalled');
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30_000);
        }
        return rows;
      });
      say(added.id);
    }
  } else {
    // Continue after the seeds earlier runs left, so (model, seed, ψ) stays unique.
    for (let seed = Math.max(999, ...p.listSamples().map((s) => s.seed)) + 1; ; seed++) {
      // Every third sample gets its annotation in the same transaction.
      const added = p.transaction(() => {
        const [row] = p.addSamples(sampleRows([seed]));
        if (seed % 3 === 0)
          p.saveAnnotation(row.id, {
            width: TINY.resolution,
            height: TINY.resolution,
            labelMap: squareMap(1),
            shapes: { seed },
          });
        return row;
      });
      say(added.id);
    }
  }
}
