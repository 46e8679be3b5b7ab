/**
 * The owner's side of a compute process: starts it, reaches its service through the typed RPC, and when
 * it dies unasked (a crash, an out-of-memory kill) fails the calls it was running with a sentence, tells
 * whoever listens, and starts a fresh one at once. Models and interpreters are sent again on first use
 * (computeOver asks the new process what it holds), so later jobs do not notice. The project file
 * lives with the owner, so a compute crash never touches it.
 */
import type { ComputeCore, ComputeService } from '../../shared/compute-api';
import { COMPUTE_METHODS, type ComputeMethod, type FromCompute, type ToCompute } from '../../shared/compute-protocol';
import { UserError } from '../../shared/errors';
import { toDisposable, type Disposable } from '../../shared/lifecycle';
import { forwardTo, rpcClient, type RpcClient, type RpcEndpoint } from '../../shared/rpc';

/** A started compute process. Disposing it stops the process and waits until it is gone. */
export interface ComputeProcess extends Disposable {
  endpoint: RpcEndpoint<FromCompute, ToCompute>;
  pid: number | undefined;
  /** Settles when the process is gone, with how it ended (e.g. "exit code 1", "signal SIGKILL"). */
  exited: Promise<string>;
  dispose(): Promise<void>;
}

export type ComputeLauncher = () => ComputeProcess;

export interface ComputeCrash {
  /** What the user reads. */
  message: string;
  how: string;
  running: ComputeMethod[];
}

interface Current {
  proc: ComputeProcess;
  client: RpcClient<ComputeService>;
}

export class ComputeSupervisor implements Disposable {
  private current: Current | null = null;
  private disposed = false;
  private readonly crashListeners = new Set<(c: ComputeCrash) => void>();
  /** Processes started so far (1 + restarts). */
  starts = 0;
  /** The compute service of whichever process is current; disposing it disposes the supervisor. */
  readonly core: ComputeCore;

  constructor(private readonly launch: ComputeLauncher) {
    this.core = { ...forwardTo<ComputeService>(COMPUTE_METHODS, () => this.active()), dispose: () => this.dispose() };
  }

  /** Tell `listener` each time the process dies unasked. */
  onDidCrash(listener: (c: ComputeCrash) => void): Disposable {
    this.crashListeners.add(listener);
    return toDisposable(() => void this.crashListeners.delete(listener));
  }

  get pid(): number | undefined {
    return this.current?.proc.pid;
  }

  /** Start the process now (otherwise it starts with the first call). */
  start(): void {
    this.active();
  }

  private active(): RpcClient<ComputeService> {
    if (this.disposed) throw new UserError('The compute process was shut down; reopen the project.');
    if (!this.current) {
      const proc = this.launch();
      this.starts++;
      const current = { proc, client: rpcClient<ComputeService>(proc.endpoint, COMPUTE_METHODS) };
      this.current = current;
      void proc.exited.then((how) => this.exited(current, how));
    }
    return this.current.client;
  }

  private exited(which: Current, how: string): void {
    if (this.current !== which) return;
    this.current = null;
    const running = which.client.running;
    const doing = running.length
      ? ` while ${[...new Set(running.map((m) => COMPUTE_METHODS[m].doing))].join(' and ')}`
      : '';
    const message = `The compute process stopped unexpectedly (${how})${doing}; a new one has started and the project is unchanged — start the job again.`;
    which.client.failAll(new UserError(message));
    if (this.disposed) return;
    for (const l of this.crashListeners) l({ message, how, running });
    this.active();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.crashListeners.clear();
    const current = this.current;
    if (current) await current.proc.dispose();
  }
}
