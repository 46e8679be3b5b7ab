/**
 * From scores to the wand's selection: the pixels above the tolerance's threshold, kept where they are
 * connected (4-neighbourhood) to a positive click, or where the whole connected piece holds a pixel the
 * prior is sure about (the second eye of an "eye" class shows up with the first; a stray pixel that
 * merely resembles the click does not).
 */
import { labelRegions } from '../../shared/contours';
import type { WandClick } from '../../shared/wand';

/** The score threshold of a tolerance (0.5 → 0; wider tolerances reach lower scores). */
export function thresholdOf(tolerance: number, margin: number): number {
  return (0.5 - tolerance) * 1.6 * margin;
}

export function selectRegion(
  scores: Float32Array,
  R: number,
  clicks: readonly WandClick[],
  threshold: number,
  /** A connected piece is kept without a click when some pixel of it scores at least this. */
  sure: number,
): Uint8Array {
  const P = R * R;
  const inside = new Uint8Array(P);
  for (let p = 0; p < P; p++) inside[p] = scores[p] > threshold ? 1 : 0;
  const { regionOf, firstPixel } = labelRegions(inside, R, R);
  const keep = new Uint8Array(firstPixel.length);
  for (const c of clicks) {
    const p = c.y * R + c.x;
    if (c.positive && inside[p]) keep[regionOf[p]] = 1;
  }
  for (let p = 0; p < P; p++) if (inside[p] && scores[p] >= sure) keep[regionOf[p]] = 1;
  const mask = new Uint8Array(P);
  for (let p = 0; p < P; p++) mask[p] = inside[p] && keep[regionOf[p]] ? 1 : 0;
  return mask;
}
