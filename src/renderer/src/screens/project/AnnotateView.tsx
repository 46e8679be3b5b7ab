import { NonIdealState, Spinner } from '@blueprintjs/core';
import { Media } from '@blueprintjs/icons';
import { useEffect, useMemo, useState } from 'react';
import { call } from '../../api/client';
import { AnnotationStore } from '../../canvas/model/annotation-store';
import { AnnotationEditor, type AnnotationEditorHandle } from '../../canvas/view/AnnotationEditor';
import type { WandSource } from '../../canvas/model/wand-state';
import { attempt, stepSample, updateClass } from '../../state/actions';
import { Autosaver } from '../../state/autosave';
import { useSampleImage } from '../../state/sample-images';
import { useReadOnlyTip } from '../../state/read-only';
import { useStudio } from '../../state/store';
import { SamplePanel } from './SamplePanel';
import { SampleStrip } from './SampleStrip';

/** The feature wand's answers come from the host (compute reads the sample's generator features). */
const wandSource: WandSource = (req) => call('wand:select', req);

interface Loaded {
  sampleId: string;
  labelMap: Uint8Array;
  shapes: unknown;
}

interface Prediction {
  sampleId: string;
  labels: Uint8Array;
  uncertainty: Float32Array;
}

declare global {
  interface Window {
    /** The open canvas (its editor and stage), for diagnostics in the developer tools and for e2e tests. */
    dgsAnnotation?: AnnotationEditorHandle;
  }
}

/**
 * The layout labelers know from CVAT and LabelMe: tools left, the canvas in the centre, classes right,
 * the sample's panel (save state, next uncertain sample, per-class IoU) beside them, samples below.
 * Every step is autosaved; ← / → move between samples, and each keeps its undo history.
 */
export function AnnotateView() {
  const file = useStudio((s) => s.project?.file ?? '');
  const sampleId = useStudio((s) => s.selectedSample);
  const classes = useStudio((s) => s.project?.classes ?? []);
  const resolution = useStudio((s) => s.project?.model?.resolution ?? 0);
  const interpreters = useStudio((s) => s.project?.counts.interpreters ?? 0);
  // Moves when the interpreter in use may have changed (trained, picked on the Train screen): predict again.
  const interpreterVersion = useStudio((s) => s.versions.interpreters);
  const connected = useStudio((s) => s.connection === 'ok');
  const readOnly = useReadOnlyTip();
  const editorStore = useMemo(() => new AnnotationStore(), [file]);
  const autosaver = useMemo(() => new Autosaver(), [file]);
  const { url } = useSampleImage(sampleId);
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [prediction, setPrediction] = useState<Prediction | null>(null);

  useEffect(() => {
    if (!sampleId) return;
    let live = true;
    setLoaded(null);
    void attempt(async () => {
      // Saves of this sample still under way land first, so the editor opens what was last written.
      await autosaver.flush(sampleId);
      const a = await call('annotation:get', { sampleId });
      if (!live) return;
      const revision = a?.revision ?? 0;
      autosaver.loaded(sampleId, revision);
      setLoaded({
        sampleId,
        labelMap: a?.labelMap ?? new Uint8Array(resolution * resolution),
        shapes: a?.shapes ?? null,
      });
    });
    return () => {
      live = false;
    };
  }, [sampleId, resolution, autosaver]);

  useEffect(() => {
    setPrediction(null);
    if (!sampleId || interpreters === 0) return;
    let live = true;
    void call('label:predict', { sampleId }).then(
      (p) => {
        if (live && p) setPrediction({ sampleId, labels: p.labels, uncertainty: p.uncertainty });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [sampleId, interpreters, interpreterVersion]);

  // Back in touch with the server (`dgs serve` restarted): what could not be saved meanwhile is saved now.
  useEffect(() => {
    if (connected) void autosaver.flushAll();
  }, [connected, autosaver]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // A control that took the arrow itself (the screen tabs, a slider) has called preventDefault.
      if (
        e.defaultPrevented ||
        e.target instanceof HTMLInputElement ||
        e.target instanceof HTMLTextAreaElement ||
        e.ctrlKey ||
        e.metaKey ||
        e.altKey
      )
        return;
      if (e.key === 'ArrowLeft') stepSample(-1);
      else if (e.key === 'ArrowRight') stepSample(1);
    };
    window.addEventListener('keydown', onKey);
    const beforeUnload = () => void autosaver.flushAll();
    window.addEventListener('beforeunload', beforeUnload);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('beforeunload', beforeUnload);
      void autosaver.flushAll();
    };
  }, [autosaver]);

  const editorClasses = useMemo(
    () => classes.map((c) => ({ index: c.index, name: c.name, color: c.color, hotkey: c.hotkey, locked: c.locked })),
    [classes],
  );
  const current = loaded && loaded.sampleId === sampleId ? loaded : null;
  const predicted = prediction && prediction.sampleId === sampleId ? prediction : null;

  return (
    <div className="annotate-view">
      <section className="editor-area" aria-label="Annotation canvas">
        {!sampleId ? (
          <NonIdealState
            icon={<Media size={32} />}
            title="No samples yet"
            description="Add samples in the Gallery with Sample, or use Next uncertain sample."
          />
        ) : current && url ? (
          <AnnotationEditor
            store={editorStore}
            toolbar="left"
            sample={{
              id: current.sampleId,
              image: url,
              width: resolution,
              height: resolution,
              labelMap: current.labelMap,
              shapes: current.shapes,
            }}
            classes={editorClasses}
            onChange={(snapshot) => autosaver.schedule(snapshot)}
            onReady={(handle) => {
              window.dgsAnnotation = handle;
            }}
            prediction={predicted?.labels ?? null}
            uncertainty={predicted ? { values: predicted.uncertainty } : null}
            onLockChange={(index, locked) => void updateClass(index, { locked })}
            readOnly={readOnly}
            wand={wandSource}
          />
        ) : (
          <Spinner />
        )}
      </section>
      <SamplePanel hasPrediction={predicted !== null} />
      <SampleStrip />
    </div>
  );
}
