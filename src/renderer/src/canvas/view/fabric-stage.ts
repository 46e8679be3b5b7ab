/**
 * The Fabric.js canvas of one editor: the sample image, the label overlay and the uncertainty heat
 * map as three FabricImages in image coordinates (top-left origin: Fabric 7 defaults to the centre),
 * drawn with smoothing off so every label pixel stays a crisp square; zoom and pan through the
 * viewport transform; the editor's guides drawn after each render. Fabric only draws — every pixel of
 * the label map comes from src/shared/raster.
 */
import { FabricImage, StaticCanvas } from 'fabric';
import type { PixelRect } from '../../../../shared/raster/label-raster';
import type { Editor } from '../model/editor';
import { DisposableStore, type Disposable } from '../../../../shared/lifecycle';
import { Emitter } from '../model/emitter';
import { drawGuides } from './guides';
import { LabelOverlay } from './label-overlay';
import { PointerInput } from './pointer-input';
import type { UncertaintyMap } from './uncertainty-overlay';
import { paintUncertainty } from './uncertainty-overlay';
import { paintWandPreview } from './wand-overlay';
import type { Viewport } from './viewport';
import { fitViewport, panBy, zoomAround, zoomTo } from './viewport';

/** The sample image: anything the browser can draw, or a URL (blob:, data: or the studio's) to load. */
export type SampleImage = HTMLImageElement | HTMLCanvasElement | ImageBitmap | ImageData | string;

/** Timings for benchmarks and diagnostics (ms). */
export interface StageMeasure {
  /** 'input': an input event's creation to the label map and overlay updated; 'frame': one Fabric render. */
  kind: 'input' | 'frame';
  /** For inputs: which pointer event (a press, a move while pressed, a release). */
  event?: 'down' | 'move' | 'up';
  ms: number;
  /** For inputs: the handler's own time (the rest of `ms` was the event waiting for the main thread). */
  handlerMs?: number;
}

const layerOptions = {
  left: 0,
  top: 0,
  originX: 'left',
  originY: 'top',
  imageSmoothing: false,
  objectCaching: false,
  selectable: false,
  evented: false,
} as const;

function toElement(image: Exclude<SampleImage, string>): HTMLImageElement | HTMLCanvasElement {
  if (image instanceof HTMLImageElement || image instanceof HTMLCanvasElement) return image;
  const c = document.createElement('canvas');
  c.width = image.width;
  c.height = image.height;
  const ctx = c.getContext('2d')!;
  if (image instanceof ImageData) ctx.putImageData(image, 0, 0);
  else ctx.drawImage(image, 0, 0);
  return c;
}

export class FabricStage implements Disposable {
  readonly element: HTMLCanvasElement;
  private readonly canvas: StaticCanvas;
  private readonly input: PointerInput;
  private readonly subscriptions = new DisposableStore();
  private readonly measures = new Emitter<StageMeasure>();
  /** Timings, for benchmarks; nothing is measured while no one listens. */
  readonly onDidMeasure = this.measures.event;
  private overlay: LabelOverlay | null = null;
  private imageLayer: FabricImage | null = null;
  private overlayLayer: FabricImage | null = null;
  private uncertaintyLayer: FabricImage | null = null;
  private readonly uncertaintyCanvas = document.createElement('canvas');
  private wandLayer: FabricImage | null = null;
  private readonly wandCanvas = document.createElement('canvas');
  /** What the wand preview was painted from (mask and colour), to repaint only when either changes. */
  private wandPainted: { mask: Uint8Array | null; color: string } = { mask: null, color: '' };
  private size = { width: 0, height: 0 };
  /** Counts setSample calls, so an image URL that loads after the next sample was shown is dropped. */
  private sampleToken = 0;
  private space = false;
  private frameStart = 0;
  private readonly resize: ResizeObserver;

  constructor(
    private readonly host: HTMLElement,
    private readonly editor: Editor,
  ) {
    this.element = document.createElement('canvas');
    this.element.tabIndex = 0;
    this.element.className = 'dgs-annotation-canvas';
    // It takes the keyboard (tool keys, undo) and the pointer: an application region with a name.
    this.element.setAttribute('role', 'application');
    this.element.setAttribute('aria-label', 'Label map: draw with the active tool');
    host.appendChild(this.element);
    this.canvas = new StaticCanvas(this.element, {
      width: Math.max(1, host.clientWidth),
      height: Math.max(1, host.clientHeight),
      imageSmoothingEnabled: false,
      renderOnAddRemove: false,
      skipOffscreen: true,
      enableRetinaScaling: true,
    });
    this.canvas.on('before:render', () => {
      if (this.measures.listenerCount > 0) this.frameStart = performance.now();
    });
    this.canvas.on('after:render', ({ ctx }) => {
      drawGuides(
        ctx,
        this.viewport(),
        this.editor.guides,
        this.editor.settings,
        this.editor.wand.preview?.clicks ?? [],
      );
      if (this.measures.listenerCount === 0) return;
      // Chromium records 2D drawing and rasterizes it later; reading one pixel back makes it rasterize
      // now, so the measured frame includes the real drawing cost.
      ctx.getImageData(0, 0, 1, 1);
      this.measures.fire({ kind: 'frame', ms: performance.now() - this.frameStart });
    });
    this.input = new PointerInput(
      {
        element: this.element,
        viewport: () => this.viewport(),
        panBy: (dx, dy) => this.setViewport(panBy(this.viewport(), dx, dy)),
        zoomAround: (x, y, f) => this.setViewport(zoomAround(this.viewport(), x, y, f)),
        spaceHeld: () => this.space,
        handled: (event, t, start) => {
          if (this.measures.listenerCount === 0) return;
          const now = performance.now();
          this.measures.fire({ kind: 'input', event, ms: now - t, handlerMs: now - start });
        },
      },
      editor,
    );
    this.subscriptions.add(editor.onDidChangePixels((rect) => this.pixelsChanged(rect)));
    this.subscriptions.add(editor.onDidChangeState(() => this.stateChanged()));
    this.subscriptions.add(editor.wand.onDidChange(() => this.wandChanged()));
    this.resize = new ResizeObserver(() => this.hostResized());
    this.resize.observe(host);
  }

  /** Show a sample: its image and (already open in the editor) label map; fits it to the view. */
  setSample(image: SampleImage, width: number, height: number): void {
    const token = ++this.sampleToken;
    let el: HTMLImageElement | HTMLCanvasElement;
    if (typeof image === 'string') {
      // Until the URL has loaded, the labels show over an empty canvas of the image's size.
      el = document.createElement('canvas');
      el.width = width;
      el.height = height;
      const img = new Image();
      img.src = image;
      img.decode().then(
        () => {
          if (token !== this.sampleToken || !this.imageLayer) return;
          this.imageLayer.setElement(img, { width, height });
          this.canvas.requestRenderAll();
        },
        () => {}, // a broken URL leaves the empty canvas; the studio reports its own load errors
      );
    } else el = toElement(image);
    const sizeChanged = width !== this.size.width || height !== this.size.height;
    this.size = { width, height };
    if (!this.overlay || sizeChanged) this.overlay = new LabelOverlay(width, height);
    this.canvas.remove(...this.canvas.getObjects());
    this.imageLayer = new FabricImage(el, { ...layerOptions, width, height });
    this.overlayLayer = new FabricImage(this.overlay.canvas, { ...layerOptions, width, height });
    this.uncertaintyLayer = new FabricImage(this.uncertaintyCanvas, { ...layerOptions, width, height, visible: false });
    this.wandPainted = { mask: null, color: '' };
    paintWandPreview(this.wandCanvas, width, height, null, '#000000');
    this.wandLayer = new FabricImage(this.wandCanvas, { ...layerOptions, width, height });
    this.canvas.add(this.imageLayer, this.uncertaintyLayer, this.overlayLayer, this.wandLayer);
    this.stateChanged(true);
    if (sizeChanged) this.fit();
  }

  setUncertainty(map: UncertaintyMap | null): void {
    if (map) paintUncertainty(this.uncertaintyCanvas, this.size.width, this.size.height, map);
    this.stateChanged();
  }

  setSpaceHeld(held: boolean): void {
    this.space = held;
    this.element.classList.toggle('dgs-panning', held);
  }

  viewport(): Viewport {
    return [...this.canvas.viewportTransform] as Viewport;
  }

  setViewport(v: Viewport): void {
    this.canvas.setViewportTransform(v);
    this.canvas.requestRenderAll();
  }

  fit(): void {
    if (this.size.width > 0)
      this.setViewport(fitViewport(this.canvas.width, this.canvas.height, this.size.width, this.size.height));
  }

  /** One image pixel per CSS pixel, keeping the view's centre. */
  actualSize(): void {
    this.setViewport(zoomTo(this.viewport(), this.canvas.width / 2, this.canvas.height / 2, 1));
  }

  zoomBy(factor: number): void {
    this.setViewport(zoomAround(this.viewport(), this.canvas.width / 2, this.canvas.height / 2, factor));
  }

  /** Draw now rather than at the next animation frame (benchmarks). */
  renderNow(): void {
    this.canvas.renderAll();
  }

  private pixelsChanged(rect: PixelRect | null): void {
    const session = this.editor.session;
    if (!session || !this.overlay || session.width !== this.size.width || session.height !== this.size.height) return;
    if (rect) this.overlay.paint(session.raster, rect);
    this.canvas.requestRenderAll();
  }

  /** The classes and hidden set the overlay was painted with (both immutable: compared by reference). */
  private painted: { classes: unknown; hidden: unknown } = { classes: null, hidden: null };

  private stateChanged(forcePalette = false): void {
    const { settings } = this.editor;
    if (
      this.overlay &&
      (forcePalette || this.painted.classes !== this.editor.classes || this.painted.hidden !== settings.hidden)
    ) {
      this.painted = { classes: this.editor.classes, hidden: settings.hidden };
      this.overlay.setPalette(this.editor.classes, settings.hidden);
      if (this.editor.session) this.overlay.paint(this.editor.session.raster, null);
    }
    this.overlayLayer?.set({ opacity: settings.overlayOpacity, visible: settings.overlayVisible });
    this.uncertaintyLayer?.set({
      visible: settings.uncertaintyVisible && this.uncertaintyCanvas.width === this.size.width,
    });
    this.wandChanged();
  }

  /** Repaints the wand preview when its mask or the colour of its class changed. */
  private wandChanged(): void {
    const p = this.editor.wand.preview;
    const live = p && p.sampleId === this.editor.session?.sampleId ? p : null;
    const mask = live?.mask ?? null;
    const color = this.editor.classes.find((c) => c.index === live?.classId)?.color ?? '#ffffff';
    if (mask !== this.wandPainted.mask || color !== this.wandPainted.color) {
      this.wandPainted = { mask, color };
      paintWandPreview(this.wandCanvas, this.size.width, this.size.height, mask, color);
      this.wandLayer?.set({ dirty: true });
    }
    this.canvas.requestRenderAll();
  }

  private hostResized(): void {
    const w = Math.max(1, this.host.clientWidth);
    const h = Math.max(1, this.host.clientHeight);
    if (w === this.canvas.width && h === this.canvas.height) return;
    this.canvas.setDimensions({ width: w, height: h });
    this.fit();
  }

  dispose(): void {
    this.resize.disconnect();
    this.input.dispose();
    this.subscriptions.dispose();
    this.measures.dispose();
    void this.canvas.dispose().finally(() => this.element.remove());
  }
}
