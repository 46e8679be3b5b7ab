/**
 * A person at the annotation canvas, for e2e tests: drives the page in page pixels and records, in image
 * pixels, what the editor received, so tests replay the same edits through src/shared's rasterizers.
 */
import type { Page } from 'playwright-core';
import { quantize } from '../../src/renderer/src/canvas/model/editor-events';
import type { LabelRaster } from '../../src/shared/raster/label-raster';

/** Drives the page in page pixels and records, in image pixels, what the editor should have received. */
export class Person {
  constructor(
    private readonly page: Page,
    private readonly origin: { left: number; top: number },
    private readonly v: readonly number[],
  ) {}

  /** Image coordinates of a page position, computed as the canvas does, then quantized as the editor does. */
  image(px: number, py: number): [number, number] {
    return [
      quantize((px - this.origin.left - this.v[4]) / this.v[0]),
      quantize((py - this.origin.top - this.v[5]) / this.v[3]),
    ];
  }

  /** Page position of image point (x, y). */
  page_(x: number, y: number): [number, number] {
    return [this.origin.left + this.v[4] + x * this.v[0], this.origin.top + this.v[5] + y * this.v[3]];
  }

  async key(k: string): Promise<void> {
    await this.page.keyboard.press(k);
  }

  async click(x: number, y: number): Promise<[number, number]> {
    const [px, py] = this.page_(x, y);
    await this.page.mouse.click(px, py);
    return this.image(px, py);
  }

  /**
   * Press at the first image point and drag through the others in straight moves of `steps` events
   * each; returns every position the pointer passed, in image pixels.
   */
  async drag(points: [number, number][], steps: number): Promise<number[]> {
    let [cx, cy] = this.page_(...points[0]);
    await this.page.mouse.move(cx, cy);
    await this.page.mouse.down();
    const seen = [...this.image(cx, cy)];
    for (const p of points.slice(1)) {
      const [tx, ty] = this.page_(...p);
      await this.page.mouse.move(tx, ty, { steps });
      for (let i = 1; i <= steps; i++)
        seen.push(...this.image(cx + ((tx - cx) * i) / steps, cy + ((ty - cy) * i) / steps));
      [cx, cy] = [tx, ty];
    }
    await this.page.mouse.up();
    return seen;
  }
}

export function mismatches(actual: Uint8Array, expected: LabelRaster): number {
  let n = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i] !== expected.pixels[i]) n++;
  return n;
}

/** A person at the studio's canvas, once the sample open in it has loaded (its viewport read then). */
export async function personAtCanvas(page: Page): Promise<Person> {
  await page.waitForFunction(() => window.dgsAnnotation?.editor.session?.sampleId !== undefined, null, {
    timeout: 60_000,
  });
  await page.waitForTimeout(300);
  const { origin, v } = await page.evaluate(() => {
    const h = window.dgsAnnotation!;
    const r = h.stage.element.getBoundingClientRect();
    return { origin: { left: r.left, top: r.top }, v: h.stage.viewport() as number[] };
  });
  return new Person(page, origin, v);
}
