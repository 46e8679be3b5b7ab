/**
 * Dense products for the wand's embedding (randomized PCA and the per-map projections), run by
 * onnxruntime: a [2048 × 6,016] by [6,016 × 40] product is a billion multiply-adds, seconds in a
 * JavaScript loop and a few tens of milliseconds in onnxruntime's matrix kernels. Always on the CPU: the
 * operands are already in this process's memory and the products are small next to the generator.
 */
import * as ort from 'onnxruntime-node';
import type { Disposable } from '../../shared/lifecycle';
import { encodeModel, FLOAT, GraphBuilder } from '../interpreter/onnx-builder';
import { openSession } from '../runtime/execution-provider';

/** Y = op(A)·B with op(A) = A or Aᵀ; every dimension dynamic. */
function productModel(transA: boolean): Uint8Array {
  const g = new GraphBuilder('mm_');
  const a = g.input('a', FLOAT, ['m', 'k']);
  const b = g.input('b', FLOAT, [transA ? 'm' : 'k', 'n']);
  g.op('Gemm', [a, b], { transA: transA ? 1 : 0 }, 'y');
  g.output('y', FLOAT, null);
  return encodeModel(g.graph(transA ? 'dgs_wand_atb' : 'dgs_wand_ab'));
}

export class MatMul implements Disposable {
  private constructor(
    private readonly plain: ort.InferenceSession,
    private readonly transposed: ort.InferenceSession,
  ) {}

  static async open(): Promise<MatMul> {
    const [ab, atb] = await Promise.all([
      openSession(productModel(false), { provider: ['cpu'] }),
      openSession(productModel(true), { provider: ['cpu'] }),
    ]);
    return new MatMul(ab.session, atb.session);
  }

  /** A [m, k] · B [k, n] → [m, n], row-major. */
  async ab(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Promise<Float32Array> {
    const out = await this.plain.run({
      a: new ort.Tensor('float32', a, [m, k]),
      b: new ort.Tensor('float32', b, [k, n]),
    });
    return out.y.data as Float32Array;
  }

  /** Aᵀ · B for A [m, k] and B [m, n] → [k, n], row-major. */
  async atb(a: Float32Array, m: number, k: number, b: Float32Array, n: number): Promise<Float32Array> {
    const out = await this.transposed.run({
      a: new ort.Tensor('float32', a, [m, k]),
      b: new ort.Tensor('float32', b, [m, n]),
    });
    return out.y.data as Float32Array;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.plain.release(), this.transposed.release()]);
  }
}
