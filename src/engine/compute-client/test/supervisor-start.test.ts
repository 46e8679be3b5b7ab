/**
 * A compute process that dies before it answers (here: a real Node process whose import fails, as a
 * broken install's would) is started again after a growing pause, at most three times; then the
 * supervisor gives up with one sentence naming the cause, every call fails with it, and nothing starts
 * again. One that fails only at first is waited for: calls then reach the process that did start.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeProcessScript } from '../../../compute/compute-process-path';
import { childProcessLauncher } from '../child-process';
import { ComputeSupervisor, type ComputeLauncher, type ComputeProcess, type ComputeStartFailure } from '../supervisor';

let tmp: string;
let broken: string;
let silent: string;

/** A stream that keeps what is written to it (where a started process's stderr would go). */
function collector(): Writable & { text: () => string } {
  let text = '';
  const w = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return Object.assign(w, { text: () => text });
}

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dgs-supervisor-start-'));
  broken = path.join(tmp, 'broken-compute.mjs');
  fs.writeFileSync(broken, "import 'no-such-package-dgs-test';\n");
  // Starts and stays up, but never answers a call (as one hung while loading would).
  silent = path.join(tmp, 'silent-compute.mjs');
  fs.writeFileSync(silent, 'setInterval(() => {}, 1000);\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** A launcher that records when each process started. */
function timed(launch: ComputeLauncher): { launch: ComputeLauncher; times: number[] } {
  const times: number[] = [];
  return {
    times,
    launch: () => {
      times.push(Date.now());
      return launch();
    },
  };
}

describe('a compute process that dies at start', () => {
  it('is retried with growing pauses at most 3 times, then the supervisor gives up with the cause', async () => {
    const stderr = collector();
    const { launch, times } = timed(childProcessLauncher({ script: broken, stderr }));
    const supervisor = new ComputeSupervisor(launch, { retryDelayMs: 100 });
    const failures: ComputeStartFailure[] = [];
    supervisor.onDidFailToStart((f) => failures.push(f));
    try {
      const sentence =
        /^The compute process could not start \(exit code 1: Error \[ERR_MODULE_NOT_FOUND\]: Cannot find package 'no-such-package-dgs-test' imported from .+\), 4 tries in a row; rerun with --debug to see its output, or reinstall DatasetGAN Studio\.$/;
      await expect(supervisor.ready()).rejects.toThrow(sentence);
      expect(supervisor.starts).toBe(4);
      const pauses = times.slice(1).map((t, i) => t - times[i]);
      expect(pauses[0]).toBeGreaterThanOrEqual(95);
      expect(pauses[1]).toBeGreaterThanOrEqual(195);
      expect(pauses[2]).toBeGreaterThanOrEqual(395);
      expect(failures).toHaveLength(1);
      expect(failures[0].message).toMatch(sentence);
      expect(failures[0].output).toMatch(/ERR_MODULE_NOT_FOUND/);
      // Its stack traces were held back, not printed once per try.
      expect(stderr.text()).toBe('');
      // Calls fail with the same sentence, and nothing starts again.
      await expect(supervisor.core.hasModel({ sha256: 'x' })).rejects.toThrow(sentence);
      await new Promise((r) => setTimeout(r, 1000));
      expect(supervisor.starts).toBe(4);
    } finally {
      await supervisor.dispose();
    }
  });

  it('is waited for when a later try starts: calls reach the process that answered', async () => {
    const real = computeProcessScript();
    let n = 0;
    const launch = childProcessLauncher({ script: broken });
    const works = childProcessLauncher(real);
    const supervisor = new ComputeSupervisor(() => (n++ < 2 ? launch() : works()), { retryDelayMs: 50 });
    try {
      // The call is made before any process answered; it waits for the third, which does.
      expect(await supervisor.core.hasModel({ sha256: 'none' })).toBeNull();
      expect(supervisor.starts).toBe(3);
      expect(supervisor.pid).toBeGreaterThan(0);
    } finally {
      await supervisor.dispose();
    }
  });

  it('counts a process that never answers as a failed try: it is stopped, retried, then given up on', async () => {
    const launched: ComputeProcess[] = [];
    const launch = childProcessLauncher({ script: silent });
    const supervisor = new ComputeSupervisor(
      () => {
        const p = launch();
        launched.push(p);
        return p;
      },
      { startRetries: 1, retryDelayMs: 10, startTimeoutMs: 400 },
    );
    try {
      await expect(supervisor.ready()).rejects.toThrow(
        /^The compute process could not start \(it did not answer within 0\.4 s\), 2 tries in a row; rerun with --debug/,
      );
      expect(supervisor.starts).toBe(2);
      // Both silent processes were stopped, not left running.
      expect(await Promise.all(launched.map((p) => p.exited))).toHaveLength(2);
      for (const p of launched) expect(() => process.kill(p.pid as number, 0)).toThrow();
    } finally {
      await supervisor.dispose();
    }
  });
});
