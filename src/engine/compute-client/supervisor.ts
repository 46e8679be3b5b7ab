/**
 * The owner's side of a compute process: starts it, forwards calls to it, and when it dies unasked
 * (a crash, an out-of-memory kill) fails the calls it was running with a sentence, tells whoever listens,
 * and starts a fresh one at once. Models and interpreters are sent again on first use (computeOver
 * asks the new process what it holds), so later jobs do not notice. The project file lives with the
 * owner, so a compute crash never touches it.
 */
import type { ComputeCore, CoreMethod } from '../../shared/compute-api';
import type { FromCompute, MessageEndpoint, ToCompute } from '../../shared/compute-protocol';
import { UserError } from '../../shared/errors';
import { RemoteComputeCore } from './remote-core';

export interface ComputeProcess {
  endpoint: MessageEndpoint<FromCompute, ToCompute>;
  pid: number | undefined;
  /** Settles when the process is gone, with how it ended (e.g. "exit code 1", "signal SIGKILL"). */
  exited: Promise<string>;
  kill(): void;
}

export type ComputeLauncher = () => ComputeProcess;

const DOING: Record<CoreMethod, string> = {
  hasModel: 'loading the model',
  loadModel: 'loading the model',
  hasInterpreter: 'loading the interpreter',
  loadInterpreter: 'loading the interpreter',
  sample: 'sampling',
  render: 'rendering images',
  train: 'training',
  label: 'labeling',
  generate: 'generating the dataset',
};

export interface ComputeCrash {
  /** What the user reads. */
  message: string;
  how: string;
  running: CoreMethod[];
}

export class ComputeSupervisor implements ComputeCore {
  private current: { proc: ComputeProcess; remote: RemoteComputeCore } | null = null;
  private disposed = false;
  private readonly crashListeners = new Set<(c: ComputeCrash) => void>();
  /** Processes started so far (1 + restarts). */
  starts = 0;

  constructor(private readonly launch: ComputeLauncher) {}

  /** Tell `listener` each time the process dies unasked; returns the function that stops it. */
  onDidCrash(listener: (c: ComputeCrash) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  get pid(): number | undefined {
    return this.current?.proc.pid;
  }

  /** Start the process now (otherwise it starts with the first call). */
  start(): void {
    this.active();
  }

  private active(): RemoteComputeCore {
    if (this.disposed) throw new UserError('The compute process was shut down; reopen the project.');
    if (!this.current) {
      const proc = this.launch();
      this.starts++;
      const remote = new RemoteComputeCore(proc.endpoint);
      const current = { proc, remote };
      this.current = current;
      void proc.exited.then((how) => this.exited(current, how));
    }
    return this.current.remote;
  }

  private exited(which: { proc: ComputeProcess; remote: RemoteComputeCore }, how: string): void {
    if (this.current !== which) return;
    this.current = null;
    const running = which.remote.running;
    const doing = running.length ? ` while ${[...new Set(running.map((m) => DOING[m]))].join(' and ')}` : '';
    const message = `The compute process stopped unexpectedly (${how})${doing}; a new one has started and the project is unchanged — start the job again.`;
    which.remote.failAll(new UserError(message));
    if (this.disposed) return;
    for (const l of this.crashListeners) l({ message, how, running });
    this.active();
  }

  hasModel: ComputeCore['hasModel'] = (req) => this.active().hasModel(req);
  loadModel: ComputeCore['loadModel'] = (req) => this.active().loadModel(req);
  hasInterpreter: ComputeCore['hasInterpreter'] = (req) => this.active().hasInterpreter(req);
  loadInterpreter: ComputeCore['loadInterpreter'] = (req) => this.active().loadInterpreter(req);
  sample: ComputeCore['sample'] = (req, ctl) => this.active().sample(req, ctl);
  render: ComputeCore['render'] = (req, ctl) => this.active().render(req, ctl);
  train: ComputeCore['train'] = (req, ctl) => this.active().train(req, ctl);
  label: ComputeCore['label'] = (req, ctl) => this.active().label(req, ctl);
  generate: ComputeCore['generate'] = (req, ctl) => this.active().generate(req, ctl);

  async dispose(): Promise<void> {
    this.disposed = true;
    const current = this.current;
    if (!current) return;
    current.proc.kill();
    await current.proc.exited;
  }
}
