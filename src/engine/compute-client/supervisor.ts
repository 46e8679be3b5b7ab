/**
 * The owner's side of a compute process: starts it, reaches its service through the typed RPC, and when
 * it dies unasked (a crash, an out-of-memory kill) fails the calls it was running with a sentence, tells
 * whoever listens, and starts a fresh one at once. Models and interpreters are sent again on first use
 * (computeOver asks the new process what it holds), so later jobs do not notice. The project file
 * lives with the owner, so a compute crash never touches it.
 *
 * A process counts as started once it has answered a first call (a `hasInterpreter` probe); calls wait
 * until then. One that dies before answering (a broken install, a missing library) is started again
 * after a growing pause, at most `startRetries` times, and so is one that has not answered within
 * `startTimeoutMs` (stopped first); then the supervisor gives up with a sentence
 * naming the cause, fails every call with it and tells `onDidFailToStart` listeners — it never loops.
 */
import type { ComputeCore, ComputeService } from '../../shared/compute-api';
import { COMPUTE_METHODS, type ComputeMethod, type FromCompute, type ToCompute } from '../../shared/compute-protocol';
import { UserError } from '../../shared/errors';
import { toDisposable, type Disposable } from '../../shared/lifecycle';
import { rpcClient, type RpcClient, type RpcEndpoint } from '../../shared/rpc';
import { startFailureCause } from './startup-output';

/** A started compute process. Disposing it stops the process and waits until it is gone. */
export interface ComputeProcess extends Disposable {
  endpoint: RpcEndpoint<FromCompute, ToCompute>;
  pid: number | undefined;
  /** Settles when the process is gone, with how it ended (e.g. "exit code 1", "signal SIGKILL"). */
  exited: Promise<string>;
  /** What the process wrote to stderr before it answered, held back to name why it could not start. */
  startupOutput?(): string;
  /** It answered: what it writes from now on goes to the owner's stderr as it comes. */
  answered?(): void;
  dispose(): Promise<void>;
}

export type ComputeLauncher = () => ComputeProcess;

export interface ComputeCrash {
  /** What the user reads. */
  message: string;
  how: string;
  running: ComputeMethod[];
}

export interface ComputeStartFailure {
  /** What the user reads: one sentence with the cause. */
  message: string;
  /** Everything the last try wrote to stderr (for --debug). */
  output: string;
}

export interface SupervisorOptions {
  /** How many times a process that died before answering is started again (default 3). */
  startRetries?: number;
  /** The pause before the first retry; each further one doubles it (default 500 ms). */
  retryDelayMs?: number;
  /**
   * How long a started process may take to answer its first call (default 120 s); one that has not
   * answered by then (hung while loading) is stopped and counts as a failed try.
   */
  startTimeoutMs?: number;
}

interface Current {
  proc: ComputeProcess;
  client: RpcClient<ComputeService>;
  answered: boolean;
}

const shutDown = () => new UserError('The compute process was shut down; reopen the project.');

/** The probe's id: no interpreter is ever stored under it, so the answer is a quick `false`. */
const PROBE = { id: 'startup-probe' };

export class ComputeSupervisor implements Disposable {
  private current: Current | null = null;
  private starting: Promise<RpcClient<ComputeService>> | null = null;
  private failure: UserError | null = null;
  private disposed = false;
  private readonly crashListeners = new Set<(c: ComputeCrash) => void>();
  private readonly failListeners = new Set<(f: ComputeStartFailure) => void>();
  private readonly startRetries: number;
  private readonly retryDelayMs: number;
  private readonly startTimeoutMs: number;
  /** Processes started so far (1 + restarts + retries). */
  starts = 0;
  /** The compute service of whichever process is current; disposing it disposes the supervisor. */
  readonly core: ComputeCore;

  constructor(
    private readonly launch: ComputeLauncher,
    options: SupervisorOptions = {},
  ) {
    this.startRetries = options.startRetries ?? 3;
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.startTimeoutMs = options.startTimeoutMs ?? 120_000;
    const methods = Object.fromEntries(
      Object.keys(COMPUTE_METHODS).map((method) => [
        method,
        async (request: unknown, ctl?: unknown) => {
          const client = (await this.answering()) as unknown as Record<string, (r: unknown, c?: unknown) => unknown>;
          return client[method](request, ctl);
        },
      ]),
    ) as unknown as Pick<ComputeService, ComputeMethod>;
    this.core = { ...methods, dispose: () => this.dispose() };
  }

  /** Tell `listener` each time the process dies unasked after it had started. */
  onDidCrash(listener: (c: ComputeCrash) => void): Disposable {
    this.crashListeners.add(listener);
    return toDisposable(() => void this.crashListeners.delete(listener));
  }

  /** Tell `listener` when the supervisor gives up: no process answered after the retries. */
  onDidFailToStart(listener: (f: ComputeStartFailure) => void): Disposable {
    this.failListeners.add(listener);
    return toDisposable(() => void this.failListeners.delete(listener));
  }

  get pid(): number | undefined {
    return this.current?.proc.pid;
  }

  /** Start the process now (otherwise it starts with the first call). */
  start(): void {
    void this.ready().catch(() => undefined);
  }

  /** Settles once a process has answered, or rejects with the sentence when none could start. */
  async ready(): Promise<void> {
    await this.answering();
  }

  private answering(): Promise<RpcClient<ComputeService>> {
    if (this.disposed) return Promise.reject(shutDown());
    if (this.failure) return Promise.reject(this.failure);
    if (this.current?.answered) return Promise.resolve(this.current.client);
    this.starting ??= this.startWithRetries().finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private launchOne(): Current {
    const proc = this.launch();
    this.starts++;
    const current: Current = {
      proc,
      client: rpcClient<ComputeService>(proc.endpoint, COMPUTE_METHODS),
      answered: false,
    };
    this.current = current;
    void proc.exited.then((how) => this.exited(current, how));
    return current;
  }

  private async startWithRetries(): Promise<RpcClient<ComputeService>> {
    let cause = '';
    let output = '';
    for (let attempt = 0; attempt <= this.startRetries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.retryDelayMs * 2 ** (attempt - 1)));
      if (this.disposed) throw shutDown();
      const current = this.launchOne();
      // A process that stays silent is stopped: its probe then fails as a dead one's does, below.
      let silent = false;
      const timer = setTimeout(() => {
        silent = true;
        void current.proc.dispose();
      }, this.startTimeoutMs);
      try {
        await current.client.hasInterpreter(PROBE);
        current.answered = true;
        current.proc.answered?.();
        return current.client;
      } catch (e) {
        const how = await current.proc.exited;
        if (this.disposed) throw shutDown();
        output = current.proc.startupOutput?.() ?? '';
        cause = silent ? `it did not answer within ${this.startTimeoutMs / 1000} s` : startFailureCause(how, output, e);
      } finally {
        clearTimeout(timer);
      }
    }
    const tries = this.startRetries + 1;
    this.failure = new UserError(
      `The compute process could not start (${cause}), ${tries} ${tries === 1 ? 'try' : 'tries'} in a row; rerun with --debug to see its output, or reinstall DatasetGAN Studio.`,
    );
    for (const l of this.failListeners) l({ message: this.failure.message, output });
    throw this.failure;
  }

  private exited(which: Current, how: string): void {
    if (this.current !== which) return;
    this.current = null;
    if (!which.answered) {
      // Still starting: startWithRetries hears of it through the probe's failure and decides.
      which.client.failAll(new Error(how));
      return;
    }
    const running = which.client.running;
    const doing = running.length
      ? ` while ${[...new Set(running.map((m) => COMPUTE_METHODS[m].doing))].join(' and ')}`
      : '';
    const message = `The compute process stopped unexpectedly (${how})${doing}; a new one has started and the project is unchanged — start the job again.`;
    which.client.failAll(new UserError(message));
    if (this.disposed) return;
    for (const l of this.crashListeners) l({ message, how, running });
    this.start();
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.crashListeners.clear();
    this.failListeners.clear();
    const current = this.current;
    if (current) await current.proc.dispose();
  }
}
