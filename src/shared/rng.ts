/**
 * Seeded normal RNG for latent codes (DESIGN §4 "Sample identity").
 *
 * A sample is (model sha256, seed, ψ): every machine must derive the same z from the same seed, bit for
 * bit. So the algorithm uses only integer ops and IEEE-754 double +, −, ×, ÷ and sqrt (all correctly
 * rounded) — never Math.log/sin/cos, whose last bit differs between libms. It is re-implemented in
 * tools/dgs_rng.py and both are checked against docs/rng-vectors.json.
 *
 * Algorithm (docs/rng.md):
 *  - state: xoshiro128** (four uint32 words) seeded by four successive outputs of splitmix32(seed);
 *  - uniform double in [0,1): (a >>> 5) · 2^26 + (b >>> 6), divided by 2^53, from two outputs a, b;
 *  - normal: Marsaglia's polar method, u,v = 2·U − 1, s = u² + v², rejected unless 0 < s < 1,
 *    f = sqrt(−2·ln(s)/s), emitting u·f then v·f; ln is `exactLn` below;
 *  - float32 latents are Math.fround of those doubles.
 */

const TWO_POW_26 = 67108864;
const TWO_POW_53 = 9007199254740992;
const LN2 = 0.6931471805599453;

/** splitmix32: a one-word mixer used only to spread a 32-bit seed over xoshiro's 128-bit state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) >>> 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * Natural log of x > 0 from basic IEEE operations only: x = m·2^e with m in [1, 2) (exact scaling by
 * powers of two), then ln m = 2·atanh(t), t = (m − 1)/(m + 1) ≤ 1/3, summed as a fixed-length series.
 */
export function exactLn(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`exactLn needs a finite positive number, got ${x}`);
  let m = x;
  let e = 0;
  while (m >= 2) {
    m /= 2;
    e += 1;
  }
  while (m < 1) {
    m *= 2;
    e -= 1;
  }
  const t = (m - 1) / (m + 1);
  const t2 = t * t;
  let term = t;
  let sum = 0;
  for (let k = 0; k < 30; k++) {
    sum += term / (2 * k + 1);
    term *= t2;
  }
  return 2 * sum + e * LN2;
}

export class SeededRng {
  private readonly s = new Uint32Array(4);
  private spare: number | null = null;

  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`A seed is a whole number from 0 to 4294967295; got ${seed}.`);
    }
    const st = { s: seed >>> 0 };
    for (let i = 0; i < 4; i++) this.s[i] = splitmix32(st);
  }

  /** Next uint32 of xoshiro128**. */
  nextUint32(): number {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  nextDouble(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * TWO_POW_26 + b) / TWO_POW_53;
  }

  /** Standard normal double (polar method; pairs are used in order u·f, v·f). */
  nextNormal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    for (;;) {
      const u = 2 * this.nextDouble() - 1;
      const v = 2 * this.nextDouble() - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * exactLn(s)) / s);
      this.spare = v * f;
      return u * f;
    }
  }
}

/** The latent z of a sample: `dim` standard normals from a fresh generator seeded with `seed`, as float32. */
export function latentFromSeed(seed: number, dim: number): Float32Array {
  const rng = new SeededRng(seed);
  const z = new Float32Array(dim);
  for (let i = 0; i < dim; i++) z[i] = rng.nextNormal();
  return z;
}
