/**
 * The annotation editor without any DOM: the open sample's session, the tools (state machines), the
 * labeler's settings and the guides a view draws (polygon being drawn, selected polygon, brush
 * cursor). A view feeds it pointer events in image pixels and semantic keys; tests do the same
 * (test/test-editor.ts). Every pixel decision is made by src/shared/raster.
 */
import type { PolygonShape, ShapesEnvelope } from '../../../../shared/annotation-shapes';
import { shapesEnvelope } from '../../../../shared/annotation-shapes';
import { capsuleMask } from '../../../../shared/raster/brush';
import { floodRegion } from '../../../../shared/raster/flood-fill';
import type { CoverageMask, LockTable, PixelRect } from '../../../../shared/raster/label-raster';
import { emptyMask, lockTable, maskCovers } from '../../../../shared/raster/label-raster';
import { polygonMask } from '../../../../shared/raster/polygon';
import { TOOLS, toolEdits } from '../tools';
import { addHole } from '../tools/polygon/geometry';
import { DisposableStore, type Disposable } from '../../../../shared/lifecycle';
import { Emitter } from './emitter';
import type { EditorPointerEvent, Point, StateHandlers } from './editor-events';
import { quantize } from './editor-events';
import type { SampleSession } from './sample-session';
import type { EditorClass, EditorSettings, ToolId } from './settings';
import { DEFAULT_SETTINGS, stepBrushSize, stepTolerance, toggled } from './settings';
import { clampTolerance } from '../../../../shared/wand';
import { WandState } from './wand-state';
import { StateNode } from './state-node';

/** What the studio saves after each step: copies, safe to keep and send. */
export interface EditorSnapshot {
  sampleId: string;
  width: number;
  height: number;
  /** width·height class ids. */
  labelMap: Uint8Array;
  /** The "dgs-shapes" envelope to store as the annotation's shapes. */
  shapes: ShapesEnvelope;
  /** The session's change counter when the snapshot was taken. */
  version: number;
}

/** Vector guides for the view to draw over the image (never read back into pixels). */
export interface EditorGuides {
  /** Vertices of the polygon being drawn, and where the pointer is. */
  draft: { points: readonly number[]; cursor: Point | null } | null;
  /** The selected polygon as it is now (during a vertex drag: as dragged). */
  selected: PolygonShape | null;
  /** The pointer in image pixels (for the brush outline), null when outside. */
  pointer: Point | null;
}

class RootState extends StateNode {
  readonly id = 'root';
  constructor(editor: Editor) {
    super(editor);
    this.addChildren(
      ...TOOLS.map((tool) => {
        const node = tool.create(editor);
        // settings.tool names the state to enter, so the two ids must agree.
        if (node.id !== tool.id) throw new Error(`The ${tool.id} tool's state machine is called ${node.id}`);
        return node;
      }),
    );
  }
}

let idCounter = 0;
function defaultId(): string {
  return globalThis.crypto?.randomUUID?.() ?? `shape-${Date.now().toString(36)}-${(idCounter++).toString(36)}`;
}

export class Editor implements Disposable {
  readonly root: RootState;
  private sessionValue: SampleSession | null = null;
  private settingsValue: EditorSettings = DEFAULT_SETTINGS;
  private classesValue: readonly EditorClass[] = [];
  private locksValue: LockTable = lockTable();
  private guidesValue: EditorGuides = { draft: null, selected: null, pointer: null };
  private selectedId: string | null = null;
  private openMark: number | null = null;
  private readOnlyValue = false;
  private readonly sessionListeners = new DisposableStore();
  private readonly pixels = new Emitter<PixelRect | null>();
  private readonly state = new Emitter<void>();
  private readonly commits = new Emitter<EditorSnapshot>();
  /** Pixels changed (rect), or only shapes (null): repaint. Fires on every change, strokes included. */
  readonly onDidChangePixels = this.pixels.event;
  /** Settings, tool state or guides changed: redraw guides and controls. */
  readonly onDidChangeState = this.state.event;
  /** A step ended (stroke, polygon, fill, pre-label, undo, redo): save it. */
  readonly onDidCommit = this.commits.event;
  /** The feature wand's selection in progress and where its answers come from (the studio sets the source). */
  readonly wand = new WandState();

  constructor(private readonly newId: () => string = defaultId) {
    this.root = new RootState(this);
    this.root.transition(this.settingsValue.tool);
  }

  // ── sample ────────────────────────────────────────────────────────────────────────────────────

  get session(): SampleSession | null {
    return this.sessionValue;
  }

  /** Show another sample's session (from AnnotationStore.open); anything in progress is cancelled. */
  open(session: SampleSession): void {
    this.interrupt();
    this.sessionListeners.dispose();
    this.sessionValue = session;
    this.selectedId = null;
    this.sessionListeners.add(session.onDidChange((c) => this.pixels.fire(c.rect)));
    this.setGuides({ draft: null, selected: null });
    this.pixels.fire({ x: 0, y: 0, width: session.width, height: session.height });
  }

  snapshot(): EditorSnapshot {
    const s = this.requireSession();
    const { labelMap, shapes } = s.serialize();
    return {
      sampleId: s.sampleId,
      width: s.width,
      height: s.height,
      labelMap,
      shapes: shapesEnvelope(shapes),
      version: s.version,
    };
  }

  // ── settings ──────────────────────────────────────────────────────────────────────────────────

  get settings(): EditorSettings {
    return this.settingsValue;
  }

  get classes(): readonly EditorClass[] {
    return this.classesValue;
  }

  get locks(): LockTable {
    return this.locksValue;
  }

  /** The project's classes; their `locked` flags seed the locks. */
  setClasses(classes: readonly EditorClass[]): void {
    this.classesValue = classes;
    const locked = new Set(classes.filter((c) => c.locked).map((c) => c.index));
    const active = classes.some((c) => c.index === this.settingsValue.activeClass)
      ? this.settingsValue.activeClass
      : (classes.find((c) => c.index > 0)?.index ?? 0);
    this.update({ locked, activeClass: active });
  }

  /** Whether the open sample may be changed (false for a read-only project). */
  get readOnly(): boolean {
    return this.readOnlyValue;
  }

  /**
   * A read-only editor changes nothing: a tool that edits (tools/index.ts says which) cannot be picked, the
   * editor moves to the first that does not, and undo, redo and pre-label do nothing.
   */
  setReadOnly(readOnly: boolean): void {
    if (readOnly === this.readOnlyValue) return;
    this.readOnlyValue = readOnly;
    const viewer = TOOLS.find((t) => !t.edits);
    if (readOnly && toolEdits(this.settingsValue.tool) && viewer) this.setTool(viewer.id);
    this.state.fire();
  }

  setTool(tool: ToolId): void {
    if (tool === this.settingsValue.tool) return;
    if (this.readOnlyValue && toolEdits(tool)) return;
    if (this.sessionValue) this.root.handle('onToolChange');
    this.interrupt();
    this.root.transition(tool);
    this.update({ tool });
  }

  setActiveClass(index: number): void {
    if (this.classesValue.length > 0 && index !== 0 && !this.classesValue.some((c) => c.index === index)) return;
    this.update({ activeClass: index });
  }

  stepBrushSize(direction: 1 | -1): void {
    this.update({ brushSize: stepBrushSize(this.settingsValue.brushSize, direction) });
  }

  /** [ and ]: the brush size, or the wand's tolerance while the wand is the tool. */
  stepSize(direction: 1 | -1): void {
    if (this.settingsValue.tool === 'wand')
      this.setWandTolerance(stepTolerance(this.settingsValue.wandTolerance, direction));
    else this.stepBrushSize(direction);
  }

  setWandTolerance(t: number): void {
    this.update({ wandTolerance: clampTolerance(t) });
  }

  setBrushSize(size: number): void {
    this.update({ brushSize: Math.max(1, Math.min(512, Math.round(size))) });
  }

  setLocked(index: number, locked: boolean): void {
    this.update({ locked: toggled(this.settingsValue.locked, index, locked) });
  }

  setHidden(index: number, hidden: boolean): void {
    this.update({ hidden: toggled(this.settingsValue.hidden, index, hidden) });
  }

  setOverlay(
    patch: Partial<Pick<EditorSettings, 'overlayOpacity' | 'overlayVisible' | 'uncertaintyVisible' | 'polygonMode'>>,
  ): void {
    const opacity =
      patch.overlayOpacity === undefined ? {} : { overlayOpacity: Math.max(0, Math.min(1, patch.overlayOpacity)) };
    this.update({ ...patch, ...opacity });
  }

  private update(patch: Partial<EditorSettings>): void {
    this.settingsValue = { ...this.settingsValue, ...patch };
    if (patch.locked) this.locksValue = lockTable(patch.locked);
    this.state.fire();
  }

  // ── events from the view ──────────────────────────────────────────────────────────────────────

  /** Active states, e.g. "root.polygon.drawing". */
  get path(): string {
    return this.root.path;
  }

  pointerDown(e: EditorPointerEvent): void {
    this.dispatch('onPointerDown', e);
  }

  pointerMove(e: EditorPointerEvent): void {
    this.setGuides({ pointer: { x: e.point.x, y: e.point.y } });
    this.dispatch('onPointerMove', e);
  }

  pointerUp(e: EditorPointerEvent): void {
    this.dispatch('onPointerUp', e);
  }

  /** The pointer left the canvas. */
  pointerLeave(): void {
    this.setGuides({ pointer: null });
  }

  complete(): void {
    this.dispatch('onComplete');
  }

  cancel(): void {
    this.dispatch('onCancel');
  }

  deleteSelection(): void {
    this.dispatch('onDelete');
  }

  private dispatch(kind: keyof StateHandlers, e?: EditorPointerEvent): void {
    if (!this.sessionValue) return;
    const q = e && { ...e, point: { x: quantize(e.point.x), y: quantize(e.point.y) } };
    this.root.handle(kind, q);
  }

  /** Abandon whatever is in progress (a tool or sample switch, an undo), keeping the selection. */
  interrupt(): void {
    if (this.sessionValue) this.root.handle('onInterrupt');
    if (this.openMark !== null) this.abortInteraction();
  }

  // ── guides ────────────────────────────────────────────────────────────────────────────────────

  get guides(): EditorGuides {
    return this.guidesValue;
  }

  setGuides(patch: Partial<EditorGuides>): void {
    this.guidesValue = { ...this.guidesValue, ...patch };
    this.state.fire();
  }

  get selectedShape(): PolygonShape | null {
    return this.sessionValue?.shapes.find((s) => s.id === this.selectedId) ?? null;
  }

  select(id: string | null): void {
    this.selectedId = id;
    this.setGuides({ selected: this.selectedShape });
  }

  /** The topmost polygon whose region holds the pixel under p. */
  shapeAt(p: Point): PolygonShape | null {
    const s = this.requireSession();
    for (let k = s.shapes.length - 1; k >= 0; k--) {
      if (maskCovers(polygonMask(s.shapes[k], s.width, s.height), Math.floor(p.x), Math.floor(p.y))) return s.shapes[k];
    }
    return null;
  }

  // ── edits (tools call these) ──────────────────────────────────────────────────────────────────

  /** Open an interaction whose changes become one undo step. */
  beginInteraction(label: string): void {
    if (this.openMark !== null) this.abortInteraction();
    this.openMark = this.requireSession().history.mark(label);
  }

  endInteraction(): void {
    if (this.openMark === null) return;
    const id = this.openMark;
    this.openMark = null;
    if (this.requireSession().history.squashToMark(id)) this.committed();
  }

  abortInteraction(): void {
    if (this.openMark === null) return;
    const id = this.openMark;
    this.openMark = null;
    this.requireSession().history.bailToMark(id);
  }

  /** Paint the brush capsule from a to b (a = b: one stamp) with a class; honours locks. */
  paintCapsule(a: Point, b: Point, classId: number): void {
    const s = this.requireSession();
    s.paint(
      classId === 0 ? 'Erase' : 'Brush',
      capsuleMask([a.x, a.y], [b.x, b.y], this.settingsValue.brushSize, s.width, s.height),
      classId,
      this.locksValue,
    );
  }

  fillAt(p: Point): void {
    const s = this.requireSession();
    const region = floodRegion(s.raster, Math.floor(p.x), Math.floor(p.y));
    if (s.paint('Fill', region, this.settingsValue.activeClass, this.locksValue)) this.committed();
  }

  /** Paint a region (the wand's selection) with a class as one undo step, honouring locks. */
  commitRegion(label: string, region: CoverageMask, classId: number): boolean {
    const changed = this.requireSession().paint(label, region, classId, this.locksValue) !== null;
    if (changed) this.committed();
    return changed;
  }

  pickClassAt(p: Point): void {
    const s = this.requireSession();
    const x = Math.floor(p.x);
    const y = Math.floor(p.y);
    if (x >= 0 && y >= 0 && x < s.width && y < s.height) this.setActiveClass(s.raster.pixels[y * s.width + x]);
  }

  /**
   * A closed polygon: in add mode a new shape of the active class; in subtract mode a hole in the
   * selected polygon, or (nothing selected) an area erased to background.
   */
  commitPolygon(ring: readonly number[]): void {
    const s = this.requireSession();
    const selected = this.selectedShape;
    if (this.settingsValue.polygonMode === 'subtract') {
      if (selected) {
        this.commitShapeEdit('Cut hole', selected, addHole(selected, ring));
      } else if (
        s.paint(
          'Erase polygon',
          polygonMask({ rings: [ring], fillRule: 'nonzero' }, s.width, s.height),
          0,
          this.locksValue,
        )
      ) {
        this.committed();
      }
      return;
    }
    const shape: PolygonShape = {
      id: this.newId(),
      kind: 'polygon',
      classId: this.settingsValue.activeClass,
      rings: [[...ring]],
      fillRule: 'nonzero',
    };
    s.reshape(
      'Polygon',
      [...s.shapes, shape],
      { oldMask: emptyMask(), newMask: polygonMask(shape, s.width, s.height), classId: shape.classId },
      this.locksValue,
    );
    this.committed();
    this.select(shape.id);
  }

  /** Replace a polygon by its edited form (null deletes it), repainting what its region gained or lost. */
  commitShapeEdit(label: string, before: PolygonShape, after: PolygonShape | null): void {
    const s = this.requireSession();
    const shapes = after
      ? s.shapes.map((x) => (x.id === before.id ? after : x))
      : s.shapes.filter((x) => x.id !== before.id);
    const region = {
      oldMask: polygonMask(before, s.width, s.height),
      newMask: after ? polygonMask(after, s.width, s.height) : emptyMask(),
      classId: before.classId,
    };
    s.reshape(label, shapes, region, this.locksValue);
    this.committed();
    this.select(after ? after.id : null);
  }

  /** Fill the map from a prediction (width·height class ids) in one undoable step, honouring locks. */
  applyPrediction(labels: Uint8Array): boolean {
    if (this.readOnlyValue) return false;
    this.interrupt();
    const s = this.requireSession();
    if (labels.length !== s.width * s.height) {
      throw new RangeError(`The prediction has ${labels.length} pixels but the sample is ${s.width}×${s.height}`);
    }
    const changed = s.replace('Pre-label', labels, this.locksValue) !== null;
    if (changed) this.committed();
    return changed;
  }

  undo(): boolean {
    if (this.readOnlyValue) return false;
    this.interrupt();
    const step = this.sessionValue?.history.undo();
    if (step) this.afterHistoryMove();
    return !!step;
  }

  redo(): boolean {
    if (this.readOnlyValue) return false;
    this.interrupt();
    const step = this.sessionValue?.history.redo();
    if (step) this.afterHistoryMove();
    return !!step;
  }

  get canUndo(): boolean {
    return !!this.sessionValue?.history.canUndo;
  }

  get canRedo(): boolean {
    return !!this.sessionValue?.history.canRedo;
  }

  dispose(): void {
    this.interrupt();
    this.wand.dispose();
    this.sessionListeners.dispose();
    this.pixels.dispose();
    this.state.dispose();
    this.commits.dispose();
  }

  private afterHistoryMove(): void {
    this.select(this.selectedShape ? this.selectedId : null);
    this.committed();
  }

  private committed(): void {
    this.state.fire();
    if (this.commits.listenerCount > 0) this.commits.fire(this.snapshot());
  }

  private requireSession(): SampleSession {
    if (!this.sessionValue) throw new Error('No sample is open in the editor');
    return this.sessionValue;
  }
}
