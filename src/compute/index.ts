/**
 * The compute layer's entry for callers in the same process (the CLI, tests, benchmarks): a `Compute`
 * that runs onnxruntime right here. The app and `dgs serve` reach the same core through a compute
 * process instead (compute-host.ts, src/engine/compute-client).
 */
import { computeOver, type Compute } from '../shared/compute-api';
import { LocalComputeCore } from './compute-core';

export { LocalComputeCore } from './compute-core';

export function openLocalCompute(): Compute {
  return computeOver(new LocalComputeCore());
}
