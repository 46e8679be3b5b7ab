/**
 * The annotation canvas alone, on a synthetic sample (?size=N, default 1024), for the e2e test and
 * bench/canvas.ts. `window.__harness` exposes what they read: the label map, timings, CSP violations.
 */
import '@blueprintjs/core/lib/css/blueprint.css';
import './harness.css';
import { useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { encodeLabelMap } from '../../src/shared/label-map-codec';
import { AnnotationStore } from '../../src/renderer/src/canvas/model/annotation-store';
import type { AnnotationEditorHandle } from '../../src/renderer/src/canvas/view/AnnotationEditor';
import { AnnotationEditor } from '../../src/renderer/src/canvas/view/AnnotationEditor';
import type { Viewport } from '../../src/renderer/src/canvas/view/viewport';
import { HARNESS_CLASSES, syntheticImage, syntheticPrediction, syntheticUncertainty } from './synthetic';

export interface HarnessApi {
  size: number;
  handle: AnnotationEditorHandle | null;
  /** Milliseconds: input handling per pointer event kind, Fabric renders, saves. */
  measures: {
    down: number[];
    move: number[];
    up: number[];
    handler: number[];
    frame: number[];
    save: number[];
    snapshot: number[];
  };
  commits: number;
  cspViolations: string[];
  errors: string[];
  resetMeasures(): void;
  setViewport(v: Viewport): void;
  /** The label map as base64 (one byte per pixel). */
  labelMap(): string;
  path(): string;
}

declare global {
  interface Window {
    __harness: HarnessApi;
  }
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

const size = Number(new URLSearchParams(location.search).get('size') ?? 1024);
const harness: HarnessApi = {
  size,
  handle: null,
  measures: { down: [], move: [], up: [], handler: [], frame: [], save: [], snapshot: [] },
  commits: 0,
  cspViolations: [],
  errors: [],
  resetMeasures() {
    this.measures = { down: [], move: [], up: [], handler: [], frame: [], save: [], snapshot: [] };
  },
  setViewport(v) {
    this.handle!.stage.setViewport(v);
    this.handle!.stage.renderNow();
  },
  labelMap() {
    return toBase64(this.handle!.editor.session!.raster.pixels);
  },
  path() {
    return this.handle!.editor.path;
  },
};
window.__harness = harness;
document.addEventListener('securitypolicyviolation', (e) =>
  harness.cspViolations.push(`${e.violatedDirective}: ${e.blockedURI}`),
);
window.addEventListener('error', (e) => harness.errors.push(String(e.message)));

/** The sample image as a data: URL (as the studio hands the canvas an image URL), or with ?image=canvas a canvas. */
function makeImage(): string | HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = size;
  c.height = size;
  c.getContext('2d')!.putImageData(new ImageData(syntheticImage(size), size, size), 0, 0);
  return new URLSearchParams(location.search).get('image') === 'canvas' ? c : c.toDataURL('image/png');
}

function Harness() {
  const [store] = useState(() => new AnnotationStore());
  const sample = useMemo(
    () => ({
      id: 'harness',
      image: makeImage(),
      width: size,
      height: size,
      labelMap: new Uint8Array(size * size),
      shapes: null,
    }),
    [],
  );
  const prediction = useMemo(() => syntheticPrediction(size), []);
  const uncertainty = useMemo(() => ({ values: syntheticUncertainty(size) }), []);
  return (
    <AnnotationEditor
      store={store}
      sample={sample}
      classes={HARNESS_CLASSES}
      prediction={prediction}
      uncertainty={uncertainty}
      onChange={() => {
        harness.commits++;
        // What the studio's autosave would send, done after the event (as a debounced save would):
        // a snapshot, its map encoded with the label-map codec and its shapes as JSON.
        setTimeout(() => {
          const t0 = performance.now();
          const snap = harness.handle!.editor.snapshot();
          JSON.stringify(snap.shapes);
          const t1 = performance.now();
          encodeLabelMap(snap.labelMap, snap.width, snap.height);
          harness.measures.snapshot.push(t1 - t0);
          harness.measures.save.push(performance.now() - t0);
        }, 0);
      }}
      onReady={(h) => {
        harness.handle = h;
        h.stage.onDidMeasure((m) => {
          if (m.kind === 'frame') harness.measures.frame.push(m.ms);
          else {
            harness.measures[m.event!].push(m.ms);
            if (m.event !== 'up') harness.measures.handler.push(m.handlerMs!);
          }
        });
      }}
    />
  );
}

createRoot(document.getElementById('root')!).render(<Harness />);
