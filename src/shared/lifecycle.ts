/**
 * One lifetime pattern for everything that holds a resource: onnxruntime sessions, worker threads,
 * processes, servers, open project files and event listeners (after VS Code's `lifecycle.ts`).
 * Whatever must be let go implements `Disposable`; its owner calls `dispose()` exactly once, or adds it to
 * a `DisposableStore` that disposes everything it holds, newest first. `dispose()` may be async (a worker
 * is asked to finish and awaited); callers always await it. Disposing twice does nothing.
 */

export interface Disposable {
  dispose(): void | Promise<void>;
}

/** Wraps a function (typically the one that stops a listener) as a Disposable that runs it once. */
export function toDisposable(fn: () => void | Promise<void>): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      return fn();
    },
  };
}

/** Keeps disposables until it is disposed; whatever is added after that is disposed at once. */
export class DisposableStore implements Disposable {
  private readonly items: Disposable[] = [];
  private disposedFlag = false;

  get isDisposed(): boolean {
    return this.disposedFlag;
  }

  /** Keeps `item` until the store is disposed; returns it, so `const x = store.add(open())` reads well. */
  add<T extends Disposable>(item: T): T {
    if (this.disposedFlag) {
      void Promise.resolve(item.dispose()).catch(() => undefined);
      return item;
    }
    this.items.push(item);
    return item;
  }

  /** Disposes `item` now and forgets it (for a resource replaced before the store's end). */
  async delete(item: Disposable): Promise<void> {
    const i = this.items.indexOf(item);
    if (i >= 0) this.items.splice(i, 1);
    await item.dispose();
  }

  /**
   * Disposes everything, newest first, each finished before the next (a pool closes before the session
   * it borrowed). Synchronous while every item is (a view's listeners are gone before this returns); once
   * one returns a promise, the rest follow it and the promise is returned. Every item is disposed even
   * when one throws; the first error is rethrown after.
   */
  dispose(): void | Promise<void> {
    if (this.disposedFlag) return;
    this.disposedFlag = true;
    const items = this.items.splice(0).reverse();
    const errors: unknown[] = [];
    let i = 0;
    const next = (): void | Promise<void> => {
      for (; i < items.length; i++) {
        let done: void | Promise<void>;
        try {
          done = items[i].dispose();
        } catch (e) {
          errors.push(e);
          continue;
        }
        if (done) {
          i++;
          return done.then(next, (e: unknown) => {
            errors.push(e);
            return next();
          });
        }
      }
      if (errors.length) throw errors[0];
    };
    return next();
  }
}
