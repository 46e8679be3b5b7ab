/**
 * A deterministic stand-in sample for the harness: an image with soft shapes to label, a "prediction"
 * (what an interpreter might say: an ellipse of class 2 with two discs of class 3) and an uncertainty
 * map that peaks along the prediction's edges. Pure functions, shared by the page and the tests.
 */

export const HARNESS_CLASSES = [
  { index: 0, name: 'background', color: '#000000' },
  { index: 1, name: 'hair', color: '#e6194b' },
  { index: 2, name: 'skin', color: '#3cb44b' },
  { index: 3, name: 'eye', color: '#4363d8' },
  { index: 4, name: 'mouth', color: '#f58231' },
];

/** Pixel (x, y)'s distance from the face ellipse's centre, in units of its radii (1 = on its edge). */
function faceRadius(x: number, y: number, size: number): number {
  const u = (x + 0.5 - size / 2) / (0.32 * size);
  const v = (y + 0.5 - size / 2) / (0.4 * size);
  return Math.sqrt(u * u + v * v);
}

/** Row-major class ids of the synthetic prediction for a size × size image. */
export function syntheticPrediction(size: number): Uint8Array {
  const out = new Uint8Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let cls = faceRadius(x, y, size) <= 1 ? 2 : 0;
      for (const ex of [0.4, 0.6]) {
        const dx = (x + 0.5) / size - ex;
        const dy = (y + 0.5) / size - 0.42;
        if (dx * dx + dy * dy <= 0.045 * 0.045) cls = 3;
      }
      out[y * size + x] = cls;
    }
  }
  return out;
}

/** Uncertainty: high near the ellipse's boundary, fading inward and outward. */
export function syntheticUncertainty(size: number): Float32Array {
  const out = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      out[y * size + x] = Math.exp(-(((faceRadius(x, y, size) - 1) * 12) ** 2)) * 0.6;
    }
  }
  return out;
}

/** RGBA pixels of the synthetic image: a warm gradient with a face-like ellipse and two dark eyes. */
export function syntheticImage(size: number): Uint8ClampedArray<ArrayBuffer> {
  const rgba = new Uint8ClampedArray(size * size * 4);
  const pred = syntheticPrediction(size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = y * size + x;
      const t = y / size;
      const base =
        pred[i] === 2 ? [214, 170, 140] : pred[i] === 3 ? [40, 30, 30] : [60 + 80 * t, 70 + 40 * t, 110 - 40 * t];
      const n = ((x * 73856093) ^ (y * 19349663)) & 15;
      rgba.set([base[0] + n, base[1] + n, base[2] + n, 255], 4 * i);
    }
  }
  return rgba;
}
