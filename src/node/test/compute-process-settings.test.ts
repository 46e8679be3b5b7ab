/**
 * The compute process's memory settings: the environment keeps a user's own allocator tunables, and a
 * process started the way `dgs serve` starts its compute process (computeProcessScript) has a collector
 * it can call and glibc's mmap threshold fixed.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { computeProcessEnv } from '../compute-process-settings';
import { computeProcessScript } from '../../compute/compute-process-path';

describe('the compute process settings', () => {
  it('add the mmap threshold to the tunables a user set, and leave a threshold the user chose', () => {
    expect(computeProcessEnv({}).GLIBC_TUNABLES).toBe('glibc.malloc.mmap_threshold=1048576');
    expect(computeProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }).GLIBC_TUNABLES).toBe(
      'glibc.malloc.arena_max=2:glibc.malloc.mmap_threshold=1048576',
    );
    const own = { GLIBC_TUNABLES: 'glibc.malloc.mmap_threshold=65536', HOME: '/h' };
    expect(computeProcessEnv(own)).toEqual(own);
  });

  it('start a process with a callable collector and the threshold in its environment', () => {
    const { execArgv, env } = computeProcessScript();
    const probe = 'console.log(JSON.stringify({ gc: typeof gc, tunables: process.env.GLIBC_TUNABLES }))';
    const out = spawnSync(process.execPath, [...execArgv, '-e', probe], { env, encoding: 'utf8' });
    expect(out.status).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({
      gc: 'function',
      tunables: expect.stringContaining('mmap_threshold=1048576'),
    });
  });
});
