/**
 * The compute service on the wire: its method table and the typed messages between a compute process
 * and its owner (Electron main over a MessagePort, `dgs serve` over a child process's IPC channel). The
 * messages are the RPC's (src/shared/rpc.ts), typed by the service: each call names a method of
 * `ComputeService` and carries that method's request; its progress and answer carry that method's types.
 */
import type { ComputeService } from './compute-api';
import type { MethodTable, RpcMethods, RpcRequest, RpcResponse } from './rpc';

export type ComputeMethod = RpcMethods<ComputeService>;
export type ToCompute = RpcRequest<ComputeService>;
export type FromCompute = RpcResponse<ComputeService>;

/** Every method of `ComputeService`, with what it is doing in words (for the sentence when compute dies). */
export const COMPUTE_METHODS = {
  hasModel: { doing: 'loading the model' },
  loadModel: { doing: 'loading the model' },
  hasInterpreter: { doing: 'loading the interpreter' },
  loadInterpreter: { doing: 'loading the interpreter' },
  sample: { doing: 'sampling' },
  render: { doing: 'rendering images' },
  train: { doing: 'training' },
  crossValidate: { doing: 'cross-validating the interpreter' },
  label: { doing: 'labeling' },
  generate: { doing: 'generating the dataset' },
  exportGraph: { doing: 'exporting the labeled graph' },
  wand: { doing: 'selecting with the feature wand' },
} as const satisfies MethodTable<ComputeService>;
