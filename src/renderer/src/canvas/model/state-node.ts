/**
 * Tools as hierarchical state machines (tldraw's StateNode): a tool is a node with child states, one
 * of which is current; events go down the current path (root → tool → state), and a state moves on
 * with `transition`. `path` names the active states, e.g. "root.polygon.drawing", for tests.
 */
import type { EditorPointerEvent, StateHandlers } from './editor-events';
import type { Editor } from './editor';

// The handlers are optional members of every state (declaration merging keeps one list of them).
// eslint-disable-next-line @typescript-eslint/no-empty-object-type, @typescript-eslint/no-unsafe-declaration-merging
export interface StateNode extends StateHandlers {}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export abstract class StateNode {
  abstract readonly id: string;
  /** Child state id entered when this node is entered (nodes without children leave it undefined). */
  readonly initial?: string;
  protected readonly children = new Map<string, StateNode>();
  private current: StateNode | null = null;
  parent: StateNode | null = null;

  constructor(protected readonly editor: Editor) {}

  protected addChildren(...nodes: StateNode[]): void {
    for (const n of nodes) {
      n.parent = this;
      this.children.set(n.id, n);
    }
  }

  get currentChild(): StateNode | null {
    return this.current;
  }

  get path(): string {
    return this.current ? `${this.id}.${this.current.path}` : this.id;
  }

  /** Called on entering; `info` is whatever the transition passed (often the triggering event). */
  onEnter?(info: unknown): void;
  onExit?(): void;

  enter(info: unknown): void {
    this.onEnter?.(info);
    if (this.initial && !this.current) this.transition(this.initial, info);
  }

  exit(): void {
    this.current?.exit();
    this.current = null;
    this.onExit?.();
  }

  /** Leave the current child state and enter another. */
  transition(childId: string, info?: unknown): void {
    const next = this.children.get(childId);
    if (!next) throw new Error(`${this.id} has no state ${childId}`);
    this.current?.exit();
    this.current = next;
    next.enter(info);
  }

  /** Run a handler here, then in the current child (which may have changed meanwhile). */
  handle(kind: keyof StateHandlers, e?: EditorPointerEvent): void {
    const before = this.current;
    (this[kind] as ((e?: EditorPointerEvent) => void) | undefined)?.call(this, e);
    if (this.current && this.current === before) this.current.handle(kind, e);
  }
}
