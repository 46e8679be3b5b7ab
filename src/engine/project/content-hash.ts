/**
 * What a merge compares: the content of an annotation version as one sha256 — size, pixels and shapes —
 * so two versions with the same content are the same annotation whoever made them. A deletion has one
 * fixed hash. Hashes are taken once, when a version is made, and travel with it (docs/sharing.md).
 */
import { createHash } from 'node:crypto';

export const DELETED_HASH = 'deleted';

export function annotationContentHash(width: number, height: number, pixels: Uint8Array, shapesJson: string): string {
  const size = Buffer.alloc(8);
  size.writeUInt32LE(width, 0);
  size.writeUInt32LE(height, 4);
  return createHash('sha256')
    .update('dgs-annotation-1\0')
    .update(size)
    .update(pixels)
    .update('\0')
    .update(shapesJson)
    .digest('hex');
}
