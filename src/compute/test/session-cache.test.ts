/**
 * The kept sessions' lifetimes: one open per key, a failed open not kept, and a retire that never closes
 * an entry under a call that holds it.
 */
import { describe, expect, it } from 'vitest';
import { SessionCache } from '../session-cache';

/** A resource that records when it is closed. */
class Resource {
  closed = 0;
  constructor(readonly name: string) {}
  async dispose(): Promise<void> {
    this.closed++;
  }
}

describe('SessionCache', () => {
  it('opens one entry per key and hands it to every call until it is retired', async () => {
    const cache = new SessionCache<Resource>();
    let opened = 0;
    const open = async () => new Resource(`r${++opened}`);
    const a = await cache.use('a', open, async (r) => r);
    expect(await cache.use('a', open, async (r) => r)).toBe(a);
    const b = await cache.use('b', open, async (r) => r);
    expect(b).not.toBe(a);
    expect(opened).toBe(2);
    await cache.retire();
    expect([a.closed, b.closed]).toEqual([1, 1]);
    expect(cache.size).toBe(0);
    const again = await cache.use('a', open, async (r) => r);
    expect(again).not.toBe(a);
    expect(opened).toBe(3);
    await cache.dispose();
    expect(again.closed).toBe(1);
  });

  it('does not keep an entry whose open failed: the next call opens it again', async () => {
    const cache = new SessionCache<Resource>();
    const failed = cache.use(
      'a',
      async () => {
        throw new Error('no such model');
      },
      async (r) => r,
    );
    await expect(failed).rejects.toThrow('no such model');
    expect(cache.size).toBe(0);
    const r = await cache.use(
      'a',
      async () => new Resource('ok'),
      async (x) => x,
    );
    expect(r.name).toBe('ok');
    await cache.dispose();
  });

  it('closes an entry a call holds when that call ends, not before, and a new call opens a fresh one', async () => {
    const cache = new SessionCache<Resource>();
    let finish!: () => void;
    const held = new Promise<void>((resolve) => (finish = resolve));
    let inCall: Resource | null = null;
    const call = cache.use(
      'a',
      async () => new Resource('held'),
      async (r) => {
        inCall = r;
        await held;
        return r.closed;
      },
    );
    await new Promise((r) => setTimeout(r, 0));
    await cache.retire();
    expect(inCall!.closed).toBe(0);
    const fresh = await cache.use(
      'a',
      async () => new Resource('fresh'),
      async (r) => r,
    );
    expect(fresh.name).toBe('fresh');
    finish();
    expect(await call).toBe(0);
    expect(inCall!.closed).toBe(1);
    expect(fresh.closed).toBe(0);
    await cache.dispose();
    expect(fresh.closed).toBe(1);
  });
});
