/**
 * bench/canvas: the annotation canvas in Debian's Chromium (headless, software rendering) on a 1024²
 * sample, driven like a labeler through playwright-core: brush strokes of 16 and 64 px, then polygons
 * drawn and edited by dragging vertices. Prints JSON:
 *  - strokeToMaskP50/P95Ms: a pointer event's creation (event.timeStamp) to the label map painted and
 *    the overlay's dirty rectangle uploaded — every press and move of every stroke (target ≤ 16 ms);
 *    strokeHandlerP95Ms is the handlers' own share (the rest is waiting for the main thread);
 *  - frameP50/P95Ms: the time of each Fabric render (image, overlay, guides) while drawing, rasterized
 *    (target ≤ 16 ms);
 *  - saveP50/P95Ms: after each step, a snapshot of what the studio saves (label map copy and shapes),
 *    the map encoded with src/shared/label-map-codec and the shapes as JSON; snapshotP95Ms is that
 *    without the encoding (what the renderer pays when the main side encodes, as saveAnnotation does);
 *  - strokeEndP95Ms and polygonEditP95Ms: a release's handling (a stroke squashed into one undo step;
 *    a dragged vertex's region repainted), snapshot included;
 *  - encode: the final label map encoded in Node with the codec (zlib level 6) and with zlib level 1
 *    (median ms of 15, and bytes), to show what the save time is made of.
 * Within a stroke, input arrives as fast as the DevTools protocol delivers it (faster than a hand);
 * between steps the bench lets the page finish its pending save, as a labeler's pause would.
 *
 * Usage: npx tsx bench/canvas.ts [--size 1024] [--strokes 24] [--moves 60] [--polygons 6] [--image url|canvas]
 * (--image: the sample image handed over as a data: URL, as the studio does, or as a canvas)
 */
import { parseArgs } from 'node:util';
import { zlibSync } from 'fflate';
import type { Page } from 'playwright-core';
import { buildHarness, canvasOrigin, openHarness, readLabelMap, serveDir } from '../e2e/canvas-harness/open-harness';
import { encodeLabelMap } from '../src/shared/label-map-codec';
import { median } from './matmul-peak';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: '1024' },
    strokes: { type: 'string', default: '24' },
    moves: { type: 'string', default: '60' },
    polygons: { type: 'string', default: '6' },
    image: { type: 'string', default: 'url' },
  },
});
const size = Number(values.size);

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

const round = (v: number) => Math.round(v * 100) / 100;

interface Measures {
  down: number[];
  move: number[];
  up: number[];
  handler: number[];
  frame: number[];
  save: number[];
  snapshot: number[];
}

/**
 * Let the page finish what a step left to do (the harness saves in a timer after each step, as a
 * debounced autosave would) before the next stroke starts: a labeler pauses between strokes.
 */
async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
}

async function take(page: Page): Promise<Measures> {
  const m = await page.evaluate(() => window.__harness.measures);
  await page.evaluate(() => window.__harness.resetMeasures());
  return m;
}

async function main(): Promise<void> {
  const dir = await buildHarness();
  await using served = await serveDir(dir);
  const image = values.image === 'canvas' ? 'canvas' : 'url';
  await using h = await openHarness(served.url, size, undefined, image);
  const { page } = h;
  const o = await canvasOrigin(page);
  const v = await page.evaluate(() => window.__harness.handle!.stage.viewport());
  const at = (x: number, y: number): [number, number] => [o.left + v[4] + x * v[0], o.top + v[5] + y * v[3]];

  // Brush strokes: wavy paths across the image, 16 and 64 px brushes alternating.
  await page.keyboard.press('b');
  const strokes = Number(values.strokes);
  const moves = Number(values.moves);
  for (let s = -1; s < strokes; s++) {
    if (s === 0) await take(page); // the first stroke warms up
    const brush = s % 2 === 0 ? 16 : 64;
    await page.evaluate((b) => window.__harness.handle!.editor.setBrushSize(b), brush);
    await page.keyboard.press(String(1 + (((s % 4) + 4) % 4)));
    const y0 = ((s + 1.5) / (strokes + 1)) * size;
    for (let i = 0; i <= moves; i++) {
      const t = i / moves;
      const [px, py] = at(size * (0.05 + 0.9 * t), y0 + Math.sin(t * 6 + s) * size * 0.06);
      if (i === 0) {
        await page.mouse.move(px, py);
        await page.mouse.down();
      } else await page.mouse.move(px, py);
    }
    await page.mouse.up();
    await settle(page);
  }
  const brushM = await take(page);

  // Polygons: 16 vertices each, then three vertex drags each (Shift+click selects).
  await page.keyboard.press('p');
  const polygons = Number(values.polygons);
  for (let p = 0; p < polygons; p++) {
    await page.keyboard.press(String(1 + (p % 4)));
    const cx = size * (0.2 + 0.6 * ((p % 3) / 2));
    const cy = size * (p < 3 ? 0.3 : 0.7);
    const r = size * 0.14;
    const vertex = (k: number): [number, number] =>
      at(cx + r * Math.cos((k / 16) * 2 * Math.PI), cy + r * Math.sin((k / 16) * 2 * Math.PI));
    for (let k = 0; k < 16; k++) await page.mouse.click(...vertex(k));
    await page.keyboard.press('Enter');
    await settle(page);
    for (const k of [0, 5, 10]) {
      const [x0, y0] = vertex(k);
      await page.mouse.move(x0, y0);
      await page.mouse.down();
      for (let i = 1; i <= 10; i++) await page.mouse.move(x0 + i * 3, y0 + i * 2);
      await page.mouse.up();
      await settle(page);
    }
    await page.keyboard.press('Escape');
  }
  const polyM = await take(page);
  const finalMap = await readLabelMap(page);
  const timeIt = (f: () => unknown) =>
    median(
      Array.from({ length: 15 }, () => {
        const t0 = performance.now();
        f();
        return performance.now() - t0;
      }),
    );
  const version = await h.browser.version();
  const stroke = [...brushM.down, ...brushM.move];
  const out = {
    bench: 'canvas',
    chromium: version,
    image: `${size}x${size}`,
    imageSource: image,
    viewport: { zoom: round(v[0]) },
    strokes,
    strokeEvents: stroke.length,
    strokeToMaskP50Ms: round(quantile(stroke, 0.5)),
    strokeToMaskP95Ms: round(quantile(stroke, 0.95)),
    strokeHandlerP95Ms: round(quantile(brushM.handler, 0.95)),
    frames: brushM.frame.length,
    frameP50Ms: round(quantile(brushM.frame, 0.5)),
    frameP95Ms: round(quantile(brushM.frame, 0.95)),
    saves: brushM.save.length + polyM.save.length,
    saveP50Ms: round(quantile([...brushM.save, ...polyM.save], 0.5)),
    saveP95Ms: round(quantile([...brushM.save, ...polyM.save], 0.95)),
    snapshotP95Ms: round(quantile([...brushM.snapshot, ...polyM.snapshot], 0.95)),
    strokeEndP95Ms: round(quantile(brushM.up, 0.95)),
    polygonEdits: polyM.up.length,
    polygonEditP95Ms: round(quantile(polyM.up, 0.95)),
    polygonDragFrameP95Ms: round(quantile(polyM.frame, 0.95)),
    encode: {
      codecMs: round(timeIt(() => encodeLabelMap(finalMap, size, size))),
      codecBytes: encodeLabelMap(finalMap, size, size).length,
      zlibLevel1Ms: round(timeIt(() => zlibSync(finalMap, { level: 1 }))),
      zlibLevel1Bytes: zlibSync(finalMap, { level: 1 }).length,
    },
    targets: { strokeToMaskP95Ms: 16, frameP95Ms: 16 },
    errors: [
      ...h.errors,
      ...(await page.evaluate(() => [...window.__harness.errors, ...window.__harness.cspViolations])),
    ],
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

await main();
