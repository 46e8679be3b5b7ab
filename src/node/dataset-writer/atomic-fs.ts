/**
 * Crash-safe file operations. A file either exists complete under its final name or not at all:
 * contents go to a temporary name, are flushed to disk, then renamed (rename is atomic within a file
 * system). Temporaries live in one folder per dataset so a resume can sweep them away.
 */
import { constants as fsc } from 'node:fs';
import { copyFile, link, mkdir, open, rename, rm, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Disposable } from '../../shared/lifecycle';

export const WORK_DIR = '.dgs-work';
const TMP_DIR = join(WORK_DIR, 'tmp');

let tmpCounter = 0;

function tmpPathIn(root: string): string {
  tmpCounter = (tmpCounter + 1) % 1e9;
  return join(root, TMP_DIR, `${process.pid}-${tmpCounter}.tmp`);
}

export async function ensureTmpDir(root: string): Promise<void> {
  await mkdir(join(root, TMP_DIR), { recursive: true });
}

/** Removes temporaries left by a killed run. */
export async function sweepTmp(root: string): Promise<void> {
  await rm(join(root, TMP_DIR), { recursive: true, force: true });
  await ensureTmpDir(root);
}

async function writeAndSync(path: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(path, 'w');
  try {
    await fh.writeFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** Writes `data` to `root/rel` atomically (temporary file in root's work folder, fsync, rename). */
export async function writeFileAtomic(root: string, rel: string, data: Uint8Array | string): Promise<void> {
  const target = join(root, rel);
  await mkdir(dirname(target), { recursive: true });
  const tmp = tmpPathIn(root);
  await writeAndSync(tmp, data);
  await rename(tmp, target);
}

/** Like writeFileAtomic for a lone file outside a dataset run: the temporary sits beside the target. */
export async function writeLoneFileAtomic(target: string, data: Uint8Array | string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  const tmp = `${target}.${process.pid}.tmp`;
  await writeAndSync(tmp, data);
  await rename(tmp, target);
}

/**
 * Makes `root/rel` the same file as `source`: a hard link when the file system allows (no extra space
 * for the duplicate images of VOC/ and yolo/), else a copy; atomically either way.
 */
export async function linkOrCopyAtomic(source: string, root: string, rel: string): Promise<void> {
  const target = join(root, rel);
  await mkdir(dirname(target), { recursive: true });
  const tmp = tmpPathIn(root);
  try {
    await link(source, tmp);
  } catch {
    await copyFile(source, tmp, fsc.COPYFILE_FICLONE);
  }
  await rename(tmp, target);
}

/** Appends and flushes: used for the manifest and latents journals, whose order is the commit order. */
export async function appendDurable(path: string, data: Uint8Array | string): Promise<void> {
  const fh = await open(path, 'a');
  try {
    await fh.appendFile(data);
    await fh.datasync();
  } finally {
    await fh.close();
  }
}

/** Moves a file if it is still at `from` (idempotent: a repeated move after a crash is a no-op). */
export async function moveIfPresent(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

export async function unlinkIfPresent(path: string): Promise<void> {
  try {
    await unlink(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}

/**
 * A large text file written in pieces (memory stays flat), flushed and renamed into place by commit().
 * Disposing one that was not committed (its writer failed: a damaged input, a full disk) closes it and
 * removes its temporary, leaving the target as it was.
 */
export interface AtomicTextWriter extends Disposable {
  write(text: string): Promise<void>;
  commit(): Promise<void>;
}

export async function openAtomicText(root: string, rel: string): Promise<AtomicTextWriter> {
  const target = join(root, rel);
  await mkdir(dirname(target), { recursive: true });
  const tmp = tmpPathIn(root);
  const fh = await open(tmp, 'w');
  let pending: string[] = [];
  let pendingLength = 0;
  let closed = false;
  const flush = async (): Promise<void> => {
    if (pendingLength === 0) return;
    const text = pending.join('');
    pending = [];
    pendingLength = 0;
    await fh.write(text);
  };
  return {
    async write(text: string) {
      pending.push(text);
      pendingLength += text.length;
      if (pendingLength >= 1 << 20) await flush();
    },
    async commit() {
      try {
        await flush();
        await fh.datasync();
      } finally {
        closed = true;
        await fh.close();
      }
      await rename(tmp, target);
    },
    async dispose() {
      if (closed) return;
      closed = true;
      await fh.close();
      await unlinkIfPresent(tmp);
    },
  };
}
