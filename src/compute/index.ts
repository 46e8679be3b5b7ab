/**
 * The compute layer's entry for callers in the same process (the CLI, tests, benchmarks): a `Compute`
 * that runs onnxruntime right here. The app and `dgs serve` reach the same core through a compute
 * process instead (compute-process.ts, src/engine/compute-client).
 */
import { computeOver, type Compute } from '../shared/compute-api';
import { LocalComputeCore, type ComputeOptions } from './compute-core';

export { LocalComputeCore, type ComputeOptions } from './compute-core';
export { providerForcedBy } from './runtime/execution-provider';

export function openLocalCompute(options: ComputeOptions = {}): Compute {
  return computeOver(new LocalComputeCore(options));
}
