/**
 * Theirs' pixel values in the merged project: a class of theirs may carry another index here (matched
 * by name, or renumbered because its index meant another class), so its label maps are rewritten. An
 * index with no class here that mine uses for another class becomes background; an unknown one stays.
 * Shapes name their class by a `classIndex` property (the annotation tool's convention), rewritten alike.
 */
import { decodeLabelMap, encodeLabelMap } from '../../../shared/label-map-codec';

export class PixelRemap {
  private readonly table = new Uint8Array(256);
  readonly identity: boolean;

  constructor(indexMap: Map<number, number>, usedHere: Set<number>) {
    let identity = true;
    for (let i = 0; i < 256; i++) {
      this.table[i] = indexMap.get(i) ?? (usedHere.has(i) ? 0 : i);
      if (this.table[i] !== i) identity = false;
    }
    this.identity = identity;
  }

  pixels(p: Uint8Array): Uint8Array {
    return this.identity ? p : p.map((v) => this.table[v]);
  }

  /** An encoded label map, rewritten only when a pixel changes (otherwise the same bytes). */
  blob(b: Uint8Array | null): Uint8Array | null {
    if (this.identity || b === null) return b;
    const { width, height, pixels } = decodeLabelMap(b);
    if (pixels.every((v) => this.table[v] === v)) return b;
    return encodeLabelMap(this.pixels(pixels), width, height);
  }

  shapes(json: string | null): string | null {
    if (this.identity || json === null) return json;
    const walk = (v: unknown): unknown => {
      if (Array.isArray(v)) return v.map(walk);
      if (v === null || typeof v !== 'object') return v;
      const o: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        o[k] =
          k === 'classIndex' && typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 256
            ? this.table[x]
            : walk(x);
      }
      return o;
    };
    return JSON.stringify(walk(JSON.parse(json)));
  }
}
