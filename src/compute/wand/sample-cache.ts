/**
 * What the wand keeps per sample, least recently used first out, within a byte budget: computing it
 * costs a generator forward, so a labeler going back and forth between a few samples pays it once per
 * sample. Entries are promises, so clicks that arrive while a sample is being prepared wait for the same
 * preparation; a failed one is forgotten.
 */

export class SampleCache<T> {
  private readonly entries = new Map<string, { value: Promise<T>; bytes: number }>();

  constructor(
    private readonly budgetBytes: number,
    private readonly sizeOf: (value: T) => number,
  ) {}

  /** The cached value, or the one `make` produces (kept, and older entries dropped to fit the budget). */
  get(key: string, make: () => Promise<T>): { value: Promise<T>; cached: boolean } {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key);
      this.entries.set(key, hit); // most recent last
      return { value: hit.value, cached: true };
    }
    const entry = { value: make(), bytes: 0 };
    this.entries.set(key, entry);
    entry.value.then(
      (v) => {
        entry.bytes = this.sizeOf(v);
        this.evict(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return { value: entry.value, cached: false };
  }

  /** Bytes held by the entries that have finished. */
  get bytes(): number {
    let sum = 0;
    for (const e of this.entries.values()) sum += e.bytes;
    return sum;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
  }

  /** Drops least recently used entries until the budget holds, never the one just made. */
  private evict(keep: string): void {
    for (const [key] of this.entries) {
      if (this.bytes <= this.budgetBytes) return;
      if (key !== keep) this.entries.delete(key);
    }
  }
}
