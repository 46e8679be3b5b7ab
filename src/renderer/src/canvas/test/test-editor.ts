/**
 * tldraw's TestEditor for this editor: a real Editor and AnnotationStore, driven by scripted pointer
 * and key events in image pixels, with readable expectations on the state path and the pixels.
 */
import { expect } from 'vitest';
import type { LabelRaster } from '../../../../shared/raster/label-raster';
import type { ActionContext } from '../actions/registry';
import { BUILT_IN_ACTIONS, classActions, isActionEnabled, keymap } from '../actions/registry';
import { AnnotationStore } from '../model/annotation-store';
import type { EditorSnapshot } from '../model/editor';
import { Editor } from '../model/editor';
import type { EditorPointerEvent } from '../model/editor-events';
import type { EditorClass } from '../model/settings';

export const TEST_CLASSES: EditorClass[] = [
  { index: 0, name: 'background', color: '#000000' },
  { index: 1, name: 'hair', color: '#800000' },
  { index: 2, name: 'skin', color: '#008000' },
  { index: 3, name: 'eye', color: '#808000' },
];

type Mods = Partial<Pick<EditorPointerEvent, 'shiftKey' | 'ctrlKey' | 'altKey' | 'button'>>;

export class TestEditor {
  readonly store = new AnnotationStore();
  readonly editor: Editor;
  readonly commits: EditorSnapshot[] = [];
  prediction: Uint8Array | null = null;
  /** The read-only reason the studio would pass (null: editable); see setReadOnly. */
  readOnly: string | null = null;

  /** Make the sample read-only (the project's file is), as the studio does. */
  setReadOnly(reason: string | null): this {
    this.readOnly = reason;
    this.editor.setReadOnly(reason !== null);
    return this;
  }
  /** Hit radius in image pixels (as a view at zoom 1 with 4-pixel handles would send). */
  hitRadius = 1;
  private ids = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    classes: EditorClass[] = TEST_CLASSES,
  ) {
    this.editor = new Editor(() => `s${++this.ids}`);
    this.editor.setClasses(classes);
    this.editor.onDidCommit((s) => this.commits.push(s));
    this.openSample('a');
  }

  openSample(
    id: string,
    labelMap: Uint8Array = new Uint8Array(this.width * this.height),
    shapes: unknown = null,
  ): this {
    this.editor.open(this.store.open(id, { width: this.width, height: this.height, labelMap, shapes }));
    return this;
  }

  private event(x: number, y: number, mods: Mods): EditorPointerEvent {
    return {
      point: { x, y },
      button: mods.button ?? 0,
      shiftKey: !!mods.shiftKey,
      ctrlKey: !!mods.ctrlKey,
      altKey: !!mods.altKey,
      hitRadius: this.hitRadius,
    };
  }

  pointerDown(x: number, y: number, mods: Mods = {}): this {
    this.editor.pointerDown(this.event(x, y, mods));
    return this;
  }

  pointerMove(x: number, y: number, mods: Mods = {}): this {
    this.editor.pointerMove(this.event(x, y, mods));
    return this;
  }

  pointerUp(x: number, y: number, mods: Mods = {}): this {
    this.editor.pointerUp(this.event(x, y, mods));
    return this;
  }

  click(x: number, y: number, mods: Mods = {}): this {
    return this.pointerDown(x, y, mods).pointerUp(x, y, mods);
  }

  /** Press at the first point, move through the rest, release at the last. */
  drag(points: [number, number][], mods: Mods = {}): this {
    this.pointerDown(points[0][0], points[0][1], mods);
    for (const [x, y] of points.slice(1)) this.pointerMove(x, y, mods);
    const [lx, ly] = points[points.length - 1];
    return this.pointerUp(lx, ly, mods);
  }

  /** Press a chord through the action registry, as the view does. */
  key(chord: string): this {
    const ctx: ActionContext = {
      editor: this.editor,
      view: null,
      prediction: this.prediction,
      readOnly: this.readOnly,
    };
    const action = keymap([...BUILT_IN_ACTIONS, ...classActions(this.editor.classes)]).byChord.get(chord);
    if (!action) throw new Error(`No action is bound to ${chord}`);
    if (isActionEnabled(action, ctx)) action.run(ctx);
    return this;
  }

  expectPathToBe(path: string): this {
    expect(this.editor.path).toBe(path);
    return this;
  }

  get raster(): LabelRaster {
    return this.editor.session!.raster;
  }
}
