/**
 * Vector guides drawn over the image after Fabric's render pass: the polygon being drawn, the selected
 * polygon with its vertex handles, and the brush outline at the stamp's real (snapped) centre. They
 * are previews only — pixels are decided by src/shared/raster — and keep a constant screen size.
 */
import { snapStampCenter } from '../../../../shared/raster/brush';
import type { EditorGuides } from '../model/editor';
import type { EditorSettings } from '../model/settings';
import type { WandClick } from '../../../../shared/wand';
import type { Viewport } from './viewport';

const HANDLE = 4; // half-size of a vertex handle, CSS px

function ringPath(ctx: CanvasRenderingContext2D, ring: readonly number[], close: boolean): void {
  ctx.moveTo(ring[0], ring[1]);
  for (let i = 2; i + 1 < ring.length; i += 2) ctx.lineTo(ring[i], ring[i + 1]);
  if (close) ctx.closePath();
}

function handles(ctx: CanvasRenderingContext2D, ring: readonly number[], s: number, first = false): void {
  for (let i = 0; i + 1 < ring.length; i += 2) {
    const h = (first && i === 0 ? 1.6 : 1) * HANDLE * s;
    ctx.fillRect(ring[i] - h, ring[i + 1] - h, 2 * h, 2 * h);
    ctx.strokeRect(ring[i] - h, ring[i + 1] - h, 2 * h, 2 * h);
  }
}

/** Two-tone strokes (dark under light) stay visible on any image. */
function twoTone(ctx: CanvasRenderingContext2D, s: number, light: string, draw: () => void): void {
  ctx.lineWidth = 3 * s;
  ctx.strokeStyle = 'rgba(0,0,0,0.7)';
  ctx.beginPath();
  draw();
  ctx.stroke();
  ctx.lineWidth = 1.5 * s;
  ctx.strokeStyle = light;
  ctx.beginPath();
  draw();
  ctx.stroke();
}

export function drawGuides(
  ctx: CanvasRenderingContext2D,
  v: Viewport,
  guides: EditorGuides,
  settings: EditorSettings,
  wandClicks: readonly WandClick[] = [],
): void {
  const s = 1 / v[0]; // one CSS pixel in image pixels
  ctx.save();
  ctx.transform(v[0], v[1], v[2], v[3], v[4], v[5]);
  ctx.lineJoin = 'round';
  const accent = settings.polygonMode === 'subtract' ? '#ff6b6b' : '#ffffff';
  if (guides.selected) {
    twoTone(ctx, s, '#ffd24d', () => guides.selected!.rings.forEach((r) => ringPath(ctx, r, true)));
    ctx.fillStyle = '#ffd24d';
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = s;
    guides.selected.rings.forEach((r) => handles(ctx, r, s));
  }
  if (guides.draft) {
    const pts = guides.draft.cursor
      ? [...guides.draft.points, guides.draft.cursor.x, guides.draft.cursor.y]
      : guides.draft.points;
    twoTone(ctx, s, accent, () => ringPath(ctx, pts, false));
    ctx.fillStyle = accent;
    ctx.strokeStyle = '#000000';
    ctx.lineWidth = s;
    handles(ctx, guides.draft.points, s, guides.draft.points.length >= 6);
  }
  if (guides.pointer && (settings.tool === 'brush' || settings.tool === 'eraser')) {
    const [cx, cy] = snapStampCenter(guides.pointer.x, guides.pointer.y, settings.brushSize);
    twoTone(ctx, s, settings.tool === 'eraser' ? '#ff6b6b' : '#ffffff', () =>
      ctx.arc(cx, cy, settings.brushSize / 2, 0, 2 * Math.PI),
    );
  }
  for (const c of wandClicks) wandMarker(ctx, c, s);
  ctx.restore();
}

/** A wand click at its pixel's centre: a green disc with a plus, or a red one with a minus. */
function wandMarker(ctx: CanvasRenderingContext2D, c: WandClick, s: number): void {
  const x = c.x + 0.5;
  const y = c.y + 0.5;
  const r = 6 * s;
  ctx.beginPath();
  ctx.arc(x, y, r, 0, 2 * Math.PI);
  ctx.fillStyle = c.positive ? '#2fb344' : '#e5484d';
  ctx.fill();
  ctx.lineWidth = 1.5 * s;
  ctx.strokeStyle = '#ffffff';
  ctx.stroke();
  ctx.beginPath();
  ctx.moveTo(x - r / 2, y);
  ctx.lineTo(x + r / 2, y);
  if (c.positive) {
    ctx.moveTo(x, y - r / 2);
    ctx.lineTo(x, y + r / 2);
  }
  ctx.stroke();
}
