/**
 * The 100-byte SQLite database header (sqlite.org/fileformat.html §1.3), read with plain file I/O so a
 * file can be judged before SQLite ever opens it: SQLite treats an empty or foreign file as something it
 * may write to, and a refused file must stay byte-for-byte as it was.
 */
import fs from 'node:fs';

export const SQLITE_MAGIC = 'SQLite format 3\u0000';
export const SQLITE_HEADER_BYTES = 100;

export interface SqliteHeader {
  fileSize: number;
  pageSize: number;
  /** 1 = legacy (rollback journal), 2 = WAL. */
  writeVersion: number;
  changeCounter: number;
  /** Database size in pages as the header states it; trustworthy only when `pageCountValid`. */
  pageCount: number;
  pageCountValid: boolean;
  userVersion: number;
  /** Signed 32-bit, as PRAGMA application_id reports it. */
  applicationId: number;
}

export type HeaderVerdict = { kind: 'empty' } | { kind: 'not-sqlite' } | { kind: 'sqlite'; header: SqliteHeader };

export function readSqliteHeader(file: string): HeaderVerdict {
  const fd = fs.openSync(file, 'r');
  try {
    const fileSize = fs.fstatSync(fd).size;
    if (fileSize === 0) return { kind: 'empty' };
    const buf = Buffer.alloc(SQLITE_HEADER_BYTES);
    const got = fs.readSync(fd, buf, 0, SQLITE_HEADER_BYTES, 0);
    if (got < SQLITE_HEADER_BYTES || buf.toString('latin1', 0, 16) !== SQLITE_MAGIC) return { kind: 'not-sqlite' };
    const rawPage = buf.readUInt16BE(16);
    const pageSize = rawPage === 1 ? 65536 : rawPage;
    // A page size that is not a power of two in [512, 65536] means the "header" is not SQLite's.
    if (pageSize < 512 || (pageSize & (pageSize - 1)) !== 0) return { kind: 'not-sqlite' };
    const changeCounter = buf.readUInt32BE(24);
    return {
      kind: 'sqlite',
      header: {
        fileSize,
        pageSize,
        writeVersion: buf[18],
        changeCounter,
        pageCount: buf.readUInt32BE(28),
        pageCountValid: buf.readUInt32BE(92) === changeCounter && buf.readUInt32BE(28) > 0,
        userVersion: buf.readInt32BE(60),
        applicationId: buf.readInt32BE(68),
      },
    };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Bytes missing from a file whose header states a larger size (0 when it looks whole): the size the
 * header promises minus the size on disk; when the header's page count cannot be trusted, the rest of
 * the last, partial page.
 */
export function missingBytes(h: SqliteHeader): number {
  // A trusted page count decides (bytes after it, e.g. appended by a faulty copy, are ignored by SQLite too).
  if (h.pageCountValid) return Math.max(0, h.pageCount * h.pageSize - h.fileSize);
  if (h.fileSize % h.pageSize !== 0) return h.pageSize - (h.fileSize % h.pageSize);
  return 0;
}

/**
 * Whether a rollback journal next to the file may be hot (a crash mid-transaction left it): it exists,
 * is not empty and its header is not zeroed. SQLite decides for sure; this only tells whether the main
 * file may legitimately look half-written until SQLite rolls it back.
 */
export function mayHaveHotJournal(file: string): boolean {
  const journal = `${file}-journal`;
  let fd: number;
  try {
    fd = fs.openSync(journal, 'r');
  } catch {
    return false;
  }
  try {
    const first = Buffer.alloc(1);
    return fs.readSync(fd, first, 0, 1, 0) === 1 && first[0] !== 0;
  } finally {
    fs.closeSync(fd);
  }
}
