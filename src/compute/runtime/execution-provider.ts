/**
 * Choosing onnxruntime's execution provider. onnxruntime-node does not fall back by itself: a session
 * asked for CUDA throws when the CUDA provider library is missing or no GPU answers. So we try CUDA
 * first (when allowed), fall back to CPU, and record which provider runs and why, for `dgs info` and
 * the app.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';

import type { ProviderChoice, ProviderPreference } from '../../shared/compute-api';

export type { ProviderChoice, ProviderName, ProviderPreference } from '../../shared/compute-api';

export interface SessionWithProvider {
  session: ort.InferenceSession;
  provider: ProviderChoice;
}

const require = createRequire(import.meta.url);

/** Where onnxruntime-node keeps its native libraries (the CUDA provider lands there when installed). */
function ortBinaryDir(): string | null {
  try {
    const pkg = path.dirname(require.resolve('onnxruntime-node/package.json'));
    const napi = fs.readdirSync(path.join(pkg, 'bin')).find((d) => d.startsWith('napi-v'));
    if (!napi) return null;
    return path.join(pkg, 'bin', napi, process.platform, process.arch);
  } catch {
    return null;
  }
}

/** Whether the CUDA provider library was installed (`npm run setup:cuda`). */
export function cudaProviderInstalled(): boolean {
  const dir = ortBinaryDir();
  if (!dir) return false;
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  return fs.existsSync(path.join(dir, lib));
}

/** A preference that overrides the project's and the caller's, and what set it (for the reason shown). */
export interface ForcedProvider {
  preference: ProviderPreference;
  by: string;
}

/**
 * The override an environment sets with DGS_PROVIDER (cpu, cuda or auto), if any. Read by the process
 * entries (the CLI, the compute process) and handed to the compute core; nothing below them reads the
 * environment.
 */
export function providerForcedBy(env: NodeJS.ProcessEnv): ForcedProvider | undefined {
  const v = env.DGS_PROVIDER?.toLowerCase();
  return v === 'cpu' || v === 'cuda' || v === 'auto' ? { preference: v, by: `DGS_PROVIDER=${v}` } : undefined;
}

export interface SessionOptions {
  /**
   * A preference ('auto' tries CUDA, then the CPU with the reason), or the providers a caller already
   * settled on (the interpreter runs where its generator runs: ['cuda'] or ['cpu']).
   */
  provider?: ProviderPreference | readonly string[];
  /** Overrides a preference (never a settled list), e.g. DGS_PROVIDER. */
  forced?: ForcedProvider;
  /** Intra-op threads; 0 or absent: one per core. */
  threads?: number;
  /** false: no CPU arena, so a large graph's intermediates go back to the system after each run. */
  arena?: boolean;
  /**
   * false: no memory pattern, the block onnxruntime plans per set of input shapes and takes whole each
   * run; tensors then come from the arena one by one, for graphs whose inputs change shape from call to call.
   */
  memPattern?: boolean;
}

/**
 * The one thread policy for every session: intra-op threads (one per core unless told), sequential
 * execution, and no spin-waiting between ops: cores are shared with the UI and other jobs, and
 * spinning threads starve them (the training Loop runs hundreds of small ops per step: measured on a
 * loaded 2-core machine, spinning made a step several times slower).
 */
export function cpuSessionOptions(threads = 0): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    graphOptimizationLevel: 'all',
    intraOpNumThreads: threads > 0 ? threads : Math.max(1, os.availableParallelism()),
    interOpNumThreads: 1,
    executionMode: 'sequential',
    extra: { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } },
  };
}

function message(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0].slice(0, 300);
}

function preferenceOf({ provider, forced }: SessionOptions): { pref: ProviderPreference; settled: boolean } {
  if (provider === undefined || typeof provider === 'string')
    return { pref: forced?.preference ?? provider ?? 'auto', settled: false };
  return { pref: provider.includes('cuda') ? 'cuda' : 'cpu', settled: true };
}

/**
 * The one onnxruntime session factory (generator, interpreter training and labeling). Creates a session
 * on the best provider allowed:
 * - 'cpu': CPU, because it was asked for;
 * - 'cuda' or 'auto': CUDA when its files are installed and a GPU answers, else CPU with the reason.
 */
export async function openSession(model: Uint8Array, options: SessionOptions = {}): Promise<SessionWithProvider> {
  const { pref, settled } = preferenceOf(options);
  const cpu = cpuSessionOptions(options.threads ?? 0);
  if (options.arena === false) cpu.enableCpuMemArena = false;
  if (options.memPattern === false) cpu.enableMemPattern = false;
  if (pref === 'cpu') {
    const why = settled
      ? 'CPU, where the generator runs'
      : options.forced
        ? `CPU forced by ${options.forced.by}`
        : 'CPU forced by setting';
    return { session: await ort.InferenceSession.create(model, cpu), provider: { name: 'cpu', reason: why } };
  }
  if (!cudaProviderInstalled()) {
    // Trying would only make onnxruntime print its raw "Failed to load library" line on stderr.
    const reason =
      pref === 'auto'
        ? 'CUDA provider files are not installed (run `npm run setup:cuda` on a machine with an NVIDIA GPU)'
        : 'CUDA was asked for but its provider files are not installed (run `npm run setup:cuda` on a machine with an NVIDIA GPU); running on CPU';
    return { session: await ort.InferenceSession.create(model, cpu), provider: { name: 'cpu', reason } };
  }
  try {
    const session = await ort.InferenceSession.create(model, {
      ...cpu,
      executionProviders: [{ name: 'cuda', deviceId: 0 }, 'cpu'],
      // The failure is reported through the returned reason; keep onnxruntime's own log quiet.
      logSeverityLevel: 4,
    });
    return { session, provider: { name: 'cuda', reason: 'CUDA provider installed and a GPU answered' } };
  } catch (e) {
    return {
      session: await ort.InferenceSession.create(model, cpu),
      provider: { name: 'cpu', reason: `CUDA was asked for but failed (${message(e)}); running on CPU` },
    };
  }
}
