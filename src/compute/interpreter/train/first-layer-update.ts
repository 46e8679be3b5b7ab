/**
 * Adam's update of the first layer's weights w1 in one pass of WebAssembly SIMD
 * (tools/wasm/first-layer-adam.wat), with the memory the weights, their moments and the gradient live
 * in while a chunk trains.
 *
 * w1 is nearly all of a member's parameters (6,016 × 128 at 512²). In the training graph its update is
 * 9 element-wise operators, each one pass over memory, and those passes were most of a 512² step; the
 * kernel reads the gradient, weights and moments once and writes them once (docs/benchmarks.md, "The
 * first layer's update outside the graph"). The layout is four arrays of the stack's `n` floats:
 * weights, u, q, gradient (state.ts's scaled moments).
 */
import { lazy } from '../../../shared/lazy';
import { BETA1, BETA2 } from './state';
import { FIRST_LAYER_ADAM_WASM_BASE64 } from './first-layer-adam-wasm';

type Adam = (
  w: number,
  u: number,
  q: number,
  g: number,
  n: number,
  a: number,
  e: number,
  beta1: number,
  beta2: number,
) => void;

const PAGE = 65536;
const compiled = lazy(() => new WebAssembly.Module(Buffer.from(FIRST_LAYER_ADAM_WASM_BASE64, 'base64')));

export class FirstLayerUpdate {
  private readonly memory = new WebAssembly.Memory({ initial: 1 });
  private readonly adam: Adam;
  /** Floats per array: the stack's members × inputs × h1 since the last load. */
  private n = 0;

  constructor() {
    this.adam = new WebAssembly.Instance(compiled(), { env: { memory: this.memory } }).exports.adam as Adam;
  }

  /**
   * Makes a stack's w1 and its moments the update's: copied in, growing the memory when the stack is
   * larger than any before, unless they are already this memory's own (`held`, from the last chunk).
   */
  load(w1: Float32Array, u: Float32Array, q: Float32Array): void {
    if (this.holds(w1, u, q)) return;
    this.n = w1.length;
    const bytes = 16 * this.n;
    if (bytes > this.memory.buffer.byteLength)
      this.memory.grow(Math.ceil((bytes - this.memory.buffer.byteLength) / PAGE));
    [w1, u, q].forEach((a, i) => this.array(i).set(a));
  }

  private holds(...arrays: Float32Array[]): boolean {
    return arrays.every(
      (a, i) => a.buffer === this.memory.buffer && a.byteOffset === 4 * this.n * i && a.length === this.n,
    );
  }

  /** Array i of the layout: 0 the weights, 1 u, 2 q, 3 the gradient. */
  private array(i: number): Float32Array {
    return new Float32Array(this.memory.buffer, 4 * this.n * i, this.n);
  }

  /** The weights in place: valid until the next load. */
  get weights(): Float32Array {
    return this.array(0);
  }

  /** Where the step's gradient goes before `apply`: valid until the next load. */
  get gradient(): Float32Array {
    return this.array(3);
  }

  /** One Adam step of every member on `gradient`, with member m's coefficients a[m] and e[m] (graph.ts). */
  apply(a: Float32Array, e: Float32Array): void {
    const members = a.length;
    const per = this.n / members;
    for (let m = 0; m < members; m++) {
      const at = 4 * m * per;
      this.adam(at, at + 4 * this.n, at + 8 * this.n, at + 12 * this.n, per, a[m], e[m], BETA1, BETA2);
    }
  }

  /**
   * The weights and both moments in place, so that the next chunk of the same stack starts without a
   * copy: valid until the next load of another stack. Whoever keeps them longer copies them.
   */
  held(): [Float32Array, Float32Array, Float32Array] {
    return [this.array(0), this.array(1), this.array(2)];
  }
}
