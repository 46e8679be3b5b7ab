import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from '../lifecycle';

describe('DisposableStore', () => {
  it('disposes newest first, synchronously while every item is synchronous', () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('a')));
    store.add(toDisposable(() => void order.push('b')));
    expect(store.dispose()).toBeUndefined();
    expect(order).toEqual(['b', 'a']);
    expect(store.isDisposed).toBe(true);
  });

  it('waits for an asynchronous item before disposing the ones added before it', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('session')));
    store.add(toDisposable(() => new Promise<void>((r) => setTimeout(() => (order.push('pool'), r()), 5))));
    store.add(toDisposable(() => void order.push('listener')));
    const done = store.dispose();
    expect(order).toEqual(['listener']);
    await done;
    expect(order).toEqual(['listener', 'pool', 'session']);
  });

  it('disposes every item even when one throws, then throws the first error', async () => {
    const order: string[] = [];
    const store = new DisposableStore();
    store.add(toDisposable(() => void order.push('a')));
    store.add(
      toDisposable(() => {
        throw new Error('first');
      }),
    );
    store.add(toDisposable(() => Promise.reject(new Error('second'))));
    await expect(store.dispose()).rejects.toThrow('second');
    expect(order).toEqual(['a']);
  });

  it('disposes what is added after it was disposed at once, and each item only once', () => {
    let n = 0;
    const store = new DisposableStore();
    const d = toDisposable(() => void n++);
    store.add(d);
    store.dispose();
    store.dispose();
    d.dispose();
    store.add(toDisposable(() => void n++));
    expect(n).toBe(2);
  });
});
