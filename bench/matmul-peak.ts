/**
 * The machine's practical fp32 matmul rate in onnxruntime (same provider and threads as the models),
 * measured with one big MatMul graph built here. Benchmarks divide a model's achieved FLOP/s by this.
 */
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { cpuSessionOptions } from '../src/compute/runtime/execution-provider';

// onnx-proto is CommonJS; Node's ESM loader sees only its default export.
const onnx = onnxProto.onnx;

function matmulModel(n: number): Uint8Array {
  const t = (name: string) =>
    onnx.ValueInfoProto.create({
      name,
      type: {
        tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, shape: { dim: [{ dimValue: n }, { dimValue: n }] } },
      },
    });
  const model = onnx.ModelProto.create({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 17 }],
    graph: {
      name: 'matmul',
      node: [{ opType: 'MatMul', input: ['a', 'b'], output: ['c'] }],
      input: [t('a'), t('b')],
      output: [t('c')],
    },
  });
  return onnx.ModelProto.encode(model).finish();
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Median GFLOP/s of an n×n·n×n fp32 MatMul over `repeats` timed runs after one warm-up. */
export async function matmulPeakGflops(n = 1024, repeats = 7): Promise<number> {
  const session = await ort.InferenceSession.create(matmulModel(n), cpuSessionOptions());
  const a = new ort.Tensor(
    'float32',
    Float32Array.from({ length: n * n }, (_, i) => (i % 7) / 7),
    [n, n],
  );
  const feeds = { a, b: a };
  await session.run(feeds);
  const rates: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = process.hrtime.bigint();
    await session.run(feeds);
    const s = Number(process.hrtime.bigint() - t0) / 1e9;
    rates.push((2 * n * n * n) / s / 1e9);
  }
  await session.release();
  return median(rates);
}
