/**
 * The annotation canvas of one sample, as the studio's sample view mounts it (docs/canvas.md).
 *
 * @example
 * ```tsx
 * const store = useMemo(() => new AnnotationStore(), [projectFile]); // one per open project
 * <AnnotationEditor
 *   store={store}
 *   sample={{ id, image, width, height, labelMap, shapes }}
 *   classes={project.classes}
 *   onChange={(snap) => autosave.schedule(snap)}       // after every step; debounce and save
 *   prediction={interpreterLabels ?? null}              // enables pre-label
 *   uncertainty={uncertainty ? { values: uncertainty } : null}
 * />
 * ```
 */
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ActionContext } from '../actions/registry';
import { chordLabel } from '../actions/keys';
import { BUILT_IN_ACTIONS, classActions, classKeys, keymap, withBackground } from '../actions/registry';
import type { AnnotationStore } from '../model/annotation-store';
import type { EditorSnapshot } from '../model/editor';
import { Editor } from '../model/editor';
import type { EditorClass } from '../model/settings';
import type { WandSource } from '../model/wand-state';
import { ClassPanel } from '../../components/ClassPanel';
import type { SampleImage } from './fabric-stage';
import { FabricStage } from './fabric-stage';
import { Toolbar } from './Toolbar';
import { ToolOptions } from './ToolOptions';
import type { UncertaintyMap } from './uncertainty-overlay';
import { useEditorKeys } from './use-editor-keys';
import { useEditorView } from './use-editor-view';
import { WandHint } from './WandHint';
import './annotation-editor.css';

/** One sample as the studio loaded it. */
export interface AnnotationSample {
  /** The sample id; the editor (re)opens the sample when it or `loadKey` changes. */
  id: string;
  /** Bump to make the editor take `labelMap` again for the same id (e.g. after an import replaced it). */
  loadKey?: string | number;
  /** An image element, canvas, ImageBitmap, ImageData, or a URL to load (e.g. the studio's sample image URL). */
  image: SampleImage;
  width: number;
  height: number;
  /** The saved label map (width·height class ids); the editor works on its own copy. */
  labelMap: Uint8Array;
  /** The annotation's stored `shapes` value ("dgs-shapes" envelope, or null). */
  shapes: unknown;
}

/** What `onReady` hands out: the editor model and the canvas, for commands and diagnostics. */
export interface AnnotationEditorHandle {
  editor: Editor;
  stage: FabricStage;
}

export interface AnnotationEditorProps {
  /** Sessions and undo histories of opened samples; create one per open project, outside this component. */
  store: AnnotationStore;
  sample: AnnotationSample;
  classes: readonly EditorClass[];
  /** After every step (stroke, polygon, fill, pre-label, undo, redo): what to save. */
  onChange?(snapshot: EditorSnapshot): void;
  /** The interpreter's labels for this sample (width·height): enables pre-label. */
  prediction?: Uint8Array | null;
  /** Per-pixel uncertainty for this sample: enables the heat-map overlay. */
  uncertainty?: UncertaintyMap | null;
  /** Where the feature wand's selections come from (the studio: the API's `wand:select`); without it the wand says it needs the studio. */
  wand?: WandSource | null;
  /** The labeler locked or unlocked a class (persist it as the class's `locked` flag if wanted). */
  onLockChange?(classIndex: number, locked: boolean): void;
  onReady?(handle: AnnotationEditorHandle): void;
  className?: string;
  /** Where the tool bar goes: 'top' (default) or 'left', as a vertical column. */
  toolbar?: 'top' | 'left';
  /** Why the sample cannot be changed (a read-only project): tools that edit are off, with this as their tooltip. */
  readOnly?: string | null;
}

export function AnnotationEditor(props: AnnotationEditorProps) {
  const { store, sample, classes, prediction = null, uncertainty = null } = props;
  const host = useRef<HTMLDivElement>(null);
  const [handle, setHandle] = useState<AnnotationEditorHandle | null>(null);
  const latest = useRef(props);
  latest.current = props;

  useEffect(() => {
    const editor = new Editor();
    const stage = new FabricStage(host.current!, editor);
    const commit = editor.onDidCommit((s) => latest.current.onChange?.(s));
    let locked = editor.settings.locked;
    const locks = editor.onDidChangeState(() => {
      const now = editor.settings.locked;
      if (now === locked) return;
      for (const c of new Set([...now, ...locked]))
        if (now.has(c) !== locked.has(c)) latest.current.onLockChange?.(c, now.has(c));
      locked = now;
    });
    const h = { editor, stage };
    setHandle(h);
    latest.current.onReady?.(h);
    return () => {
      commit.dispose();
      locks.dispose();
      stage.dispose();
      editor.dispose();
    };
  }, []);

  const classKey = JSON.stringify(classes);
  // Keyed on content: a new array holding the same classes changes nothing (and keeps the labeler's locks).
  const stableClasses = useMemo(() => classes, [classKey]);
  useEffect(() => handle?.editor.setClasses(stableClasses), [handle, stableClasses]);

  useEffect(() => {
    if (!handle) return;
    const s = latest.current.sample;
    handle.editor.open(store.open(s.id, { width: s.width, height: s.height, labelMap: s.labelMap, shapes: s.shapes }));
    handle.stage.setSample(s.image, s.width, s.height);
  }, [handle, store, sample.id, sample.loadKey]);

  useEffect(() => handle?.stage.setUncertainty(uncertainty), [handle, uncertainty]);
  const readOnly = props.readOnly ?? null;
  useEffect(() => handle?.editor.setReadOnly(readOnly !== null), [handle, readOnly]);
  useEffect(() => handle?.editor.wand.setSource(props.wand ?? null), [handle, props.wand]);

  const context = useCallback(
    (): ActionContext | null =>
      handle
        ? {
            editor: handle.editor,
            view: handle.stage,
            prediction: latest.current.prediction ?? null,
            readOnly: latest.current.readOnly ?? null,
          }
        : null,
    [handle],
  );
  useEditorKeys(handle?.editor ?? null, handle?.stage ?? null, stableClasses, context);
  const view = useEditorView(handle?.editor ?? null);
  const clashing = useMemo(
    () => new Set(keymap([...BUILT_IN_ACTIONS, ...classActions(stableClasses)]).conflicts.map((c) => c.chord)),
    [stableClasses],
  );

  return (
    <div
      className={`dgs-annotation-editor${props.toolbar === 'left' ? ' dgs-tools-left' : ''} ${props.className ?? ''}`}
    >
      {handle && view && (
        <Toolbar
          view={view}
          context={{ editor: handle.editor, view: handle.stage, prediction, readOnly }}
          hasUncertainty={!!uncertainty}
          placement={props.toolbar}
        />
      )}
      {handle && view && props.toolbar === 'left' && (
        <div className="dgs-options-bar">
          <ToolOptions settings={view.settings} editor={handle.editor} />
        </div>
      )}
      <div className="dgs-canvas-area">
        <div className="dgs-canvas-host" ref={host} />
        {handle && view?.settings.tool === 'wand' && <WandHint editor={handle.editor} />}
      </div>
      {handle && view && (
        <ClassPanel
          classes={withBackground(stableClasses)}
          keysOf={(c) =>
            classKeys(c)
              .filter((k) => !clashing.has(k))
              .map(chordLabel)
          }
          pick={{ active: view.settings.activeClass, onPick: (i) => handle.editor.setActiveClass(i) }}
          lock={{
            locked: view.settings.locked,
            onLock: (i, on) => handle.editor.setLocked(i, on),
            disabledTip: readOnly,
          }}
          hide={{ hidden: view.settings.hidden, onHide: (i, on) => handle.editor.setHidden(i, on) }}
        />
      )}
    </div>
  );
}
