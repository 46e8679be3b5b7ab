/**
 * Sessions opened on first use and kept for the next call (labelers, merged generator + labeler graphs,
 * the wand's priors), by key. A call holds its entry while it runs; `retire` lets go of the entries, each
 * as soon as no call holds it, so a cache never closes a session under a running pre-label, generation or
 * wand selection. A training retires them all: the interpreter they were opened for is about to be
 * replaced, and the next call opens what it needs again.
 */
import type { Disposable } from '../shared/lifecycle';

interface Entry<V extends Disposable> {
  value: Promise<V>;
  users: number;
  retired: boolean;
}

export class SessionCache<V extends Disposable> implements Disposable {
  private readonly entries = new Map<string, Entry<V>>();

  /** Runs `work` on the entry for `key`, opened by `open` when there is none (a failed open is not kept). */
  async use<T>(key: string, open: () => Promise<V>, work: (value: V) => Promise<T>): Promise<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      const value = open();
      const made: Entry<V> = { value, users: 0, retired: false };
      value.catch(() => {
        if (this.entries.get(key) === made) this.entries.delete(key);
      });
      this.entries.set(key, made);
      entry = made;
    }
    entry.users++;
    try {
      return await work(await entry.value);
    } finally {
      entry.users--;
      if (entry.retired && entry.users === 0) await close(entry);
    }
  }

  /** Lets go of every entry: at once where no call holds it, else when its last call ends. */
  async retire(): Promise<void> {
    const entries = [...this.entries.values()];
    this.entries.clear();
    for (const entry of entries) {
      entry.retired = true;
      if (entry.users === 0) await close(entry);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  dispose(): Promise<void> {
    return this.retire();
  }
}

async function close<V extends Disposable>(entry: Entry<V>): Promise<void> {
  await (await entry.value.catch(() => null))?.dispose();
}
