/**
 * Refuse a run up front when the disk cannot hold it, rather than fail after hours.
 * The estimate is deliberately pessimistic: a PNG of a photo-like image rarely compresses below half
 * its raw size, and label PNGs, coloured labels, the VOC copy and YOLO/COCO text add up to well under
 * another raw RGB image.
 */
import { statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { UserError } from '../../shared/errors';
import type { ExportFormat } from '../../shared/dataset-types';

export function estimateBytesPerSample(resolution: number, zDim: number, formats: readonly ExportFormat[]): number {
  const pixels = resolution * resolution;
  const image = pixels * 3; // worst case: incompressible RGB
  const labels = pixels; // gray + colour label PNGs of flat regions, generously
  const perFormat = formats.length * pixels * 0.5; // VOC class PNG, polygons/RLE text (images are hard links)
  return Math.ceil(image + labels + perFormat + 4 + 4 * zDim + 1024);
}

function formatBytes(n: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return `${n.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

export async function checkFreeSpace(dir: string, samples: number, bytesPerSample: number): Promise<void> {
  if (samples <= 0) return;
  // The output folder may not exist yet: ask the file system of its nearest existing ancestor.
  let probe = dir;
  let fsStats;
  for (;;) {
    try {
      fsStats = await statfs(probe);
      break;
    } catch (e) {
      const parent = dirname(probe);
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || parent === probe) throw e;
      probe = parent;
    }
  }
  const free = Number(fsStats.bavail) * Number(fsStats.bsize);
  const need = samples * bytesPerSample;
  if (need > free) {
    throw new UserError(
      `The ${samples} samples still to write need about ${formatBytes(need)} but ${dir} has only ${formatBytes(free)} free; free some space, choose another folder or generate fewer samples.`,
    );
  }
}
