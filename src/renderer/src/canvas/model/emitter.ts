/** A typed event with disposable subscriptions (`onDid…` in vscode's naming). */
import { toDisposable, type Disposable } from '../../../../shared/lifecycle';

export type Listener<T> = (value: T) => void;

export class Emitter<T> implements Disposable {
  private listeners = new Set<Listener<T>>();

  /** Subscribe; dispose the result to unsubscribe. */
  readonly event = (listener: Listener<T>): Disposable => {
    this.listeners.add(listener);
    return toDisposable(() => void this.listeners.delete(listener));
  };

  fire(value: T): void {
    for (const l of [...this.listeners]) l(value);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  dispose(): void {
    this.listeners.clear();
  }
}
