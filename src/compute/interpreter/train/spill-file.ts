/**
 * The training store's spill file (pixel-features.ts): feature maps that do not fit the memory budget,
 * channel-last, appended block by block while samples load and read back per pixel while training.
 *
 * Appends are asynchronous (libuv's threads copy them into the page cache) so that writing one block
 * overlaps making the next one channel-last, and the generator's forward of the next sample: on the
 * 2-core development machine the 1.74 GB written for 16 samples of 512² took as long as all the
 * transposes (docs/benchmarks.md, "Feature store preparation"). A block's bytes must stay unchanged
 * until its write is done: `append` resolves then, and `flush` when every write is.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, write } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function writeAll(fd: number, bytes: Uint8Array, position: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const from = (done: number) =>
      write(fd, bytes, done, bytes.length - done, position + done, (err, n) => {
        if (err) reject(err);
        else if (done + n < bytes.length) from(done + n);
        else resolve();
      });
    from(0);
  });
}

export class SpillFile {
  private fd: number | null = null;
  private dir: string | null = null;
  private end = 0;
  private readonly pending = new Set<Promise<void>>();
  private failure: unknown = null;

  /** A reader of another thread's file (read only), or a new file made on the first append. */
  constructor(readonly path: string | null = null) {
    if (path) this.fd = openSync(path, 'r');
  }

  /** Where the file is, for readers in other threads (null before the first append). */
  get location(): string | null {
    return this.dir === null ? null : join(this.dir, 'maps.bin');
  }

  /** Appends `bytes` (left untouched until the promise resolves) and returns their offset and the write. */
  append(bytes: Uint8Array): { offset: number; written: Promise<void> } {
    if (this.fd === null) {
      this.dir = mkdtempSync(join(tmpdir(), 'dgs-features-'));
      this.fd = openSync(join(this.dir, 'maps.bin'), 'w+');
    }
    const offset = this.end;
    this.end += bytes.length;
    const written = writeAll(this.fd, bytes, offset).catch((e: unknown) => {
      this.failure ??= e;
    });
    this.pending.add(written);
    void written.finally(() => this.pending.delete(written));
    return { offset, written };
  }

  /** Resolves when every append is on file; rejects with the first write's failure. */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
    if (this.failure) throw this.failure;
  }

  /** Reads `length` bytes at `position` into `into` at `at` (after flush). */
  read(into: Uint8Array, at: number, length: number, position: number): void {
    let done = 0;
    while (done < length) done += readSync(this.fd as number, into, at + done, length - done, position + done);
  }

  /** Closes the file; the owner also deletes it (after its writes have settled). */
  async dispose(): Promise<void> {
    await Promise.allSettled([...this.pending]);
    if (this.fd !== null) closeSync(this.fd);
    this.fd = null;
    if (this.dir !== null) rmSync(this.dir, { recursive: true, force: true });
    this.dir = null;
  }
}
