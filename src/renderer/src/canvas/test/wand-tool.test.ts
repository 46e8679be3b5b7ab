/**
 * The feature wand tool on the editor: W picks it, a click starts a selection, Shift/Alt clicks add
 * positive/negative points, [ ] step the tolerance and ask again, Enter (or another tool) paints the
 * selection as one undo step that keeps locked classes, Escape drops it. Compute's answers are the
 * host's business (tested on the real generator in src/compute/wand/test and in e2e/wand.e2e.ts); here
 * a rule on the clicks stands in for them: a 5×5 square around each positive click, less a 3×3 square
 * around each negative one.
 */
import { describe, expect, it } from 'vitest';
import { art, toArt } from '../../../../shared/raster/test/pixel-art';
import type { WandSelection } from '../../../../shared/wand';
import { wandHintText, type WandRequest } from '../model/wand-state';
import { TestEditor } from './test-editor';

function squares(width: number, height: number) {
  const asked: WandRequest[] = [];
  const source = (req: WandRequest): Promise<WandSelection> => {
    asked.push(req);
    const mask = new Uint8Array(width * height);
    const put = (cx: number, cy: number, r: number, v: number) => {
      for (let y = Math.max(0, cy - r); y <= Math.min(height - 1, cy + r); y++)
        for (let x = Math.max(0, cx - r); x <= Math.min(width - 1, cx + r); x++) mask[y * width + x] = v;
    };
    for (const c of req.clicks) if (c.positive) put(c.x, c.y, 2, 1);
    for (const c of req.clicks) if (!c.positive) put(c.x, c.y, 1, 0);
    return Promise.resolve({ mask, prepared: asked.length === 1, guided: false });
  };
  return { asked, source };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('feature wand tool', () => {
  it('selects with clicks, previews the answer and keeps it with Enter as one undo step', async () => {
    const t = new TestEditor(10, 6);
    const { asked, source } = squares(10, 6);
    t.editor.wand.setSource(source);
    t.key('w').expectPathToBe('root.wand.idle');
    expect(wandHintText(t.editor.wand.preview)).toMatch(/^Click a part/);

    t.click(2.4, 2.7).expectPathToBe('root.wand.selecting');
    expect(t.editor.wand.preview!.pending).toBe('preparing');
    expect(wandHintText(t.editor.wand.preview)).toMatch(/first click runs the generator/);
    await settle();
    expect(asked.at(-1)).toEqual({
      sampleId: 'a',
      clicks: [{ x: 2, y: 2, positive: true }],
      tolerance: 0.5,
      classId: 1,
    });
    expect(t.editor.wand.preview!.pending).toBeNull();
    expect(wandHintText(t.editor.wand.preview)).toBe(
      '1 click · Shift adds, Alt removes, [ ] tolerance · Enter keeps, Esc drops',
    );

    t.click(7, 2, { shiftKey: true }).click(7, 2, { altKey: true });
    expect(t.editor.wand.preview!.pending).toBe('matching');
    await settle();
    expect(asked.at(-1)!.clicks).toEqual([
      { x: 2, y: 2, positive: true },
      { x: 7, y: 2, positive: true },
      { x: 7, y: 2, positive: false },
    ]);
    expect(wandHintText(t.editor.wand.preview)).toMatch(/^3 clicks · /);
    // Nothing is painted while it is a preview.
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);

    t.key('enter');
    await settle();
    t.expectPathToBe('root.wand.idle');
    expect(t.editor.wand.preview).toBeNull();
    expect(toArt(t.raster)).toEqual([
      '##########',
      '######...#',
      '######...#',
      '######...#',
      '##########',
      '..........',
    ]);
    expect(t.editor.session!.history.undoLabels).toEqual(['Wand']);
    t.key('ctrl+z');
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
  });

  it('starts over on a plain click and does not start with a negative one', async () => {
    const t = new TestEditor(10, 6);
    const { asked, source } = squares(10, 6);
    t.editor.wand.setSource(source);
    t.key('w').click(3, 3, { altKey: true }).expectPathToBe('root.wand.idle');
    expect(asked).toHaveLength(0);
    t.click(2, 2).click(7, 3);
    await settle();
    expect(t.editor.wand.preview!.clicks).toEqual([{ x: 7, y: 3, positive: true }]);
  });

  it('steps the tolerance with [ and ] and asks again with the same clicks; the brush size stays', async () => {
    const t = new TestEditor(10, 6);
    const { asked, source } = squares(10, 6);
    t.editor.wand.setSource(source);
    const brush = t.editor.settings.brushSize;
    t.key('w').click(4, 3);
    await settle();
    t.key(']').key(']');
    await settle();
    expect(t.editor.settings.wandTolerance).toBeCloseTo(0.6, 10);
    expect(asked.at(-1)!.tolerance).toBeCloseTo(0.6, 10);
    expect(asked.at(-1)!.clicks).toEqual([{ x: 4, y: 3, positive: true }]);
    for (let i = 0; i < 30; i++) t.key('[');
    expect(t.editor.settings.wandTolerance).toBe(0);
    expect(t.editor.settings.brushSize).toBe(brush);
  });

  it('drops the selection with Escape', async () => {
    const t = new TestEditor(10, 6);
    const { source } = squares(10, 6);
    t.editor.wand.setSource(source);
    t.key('w').click(4, 3);
    await settle();
    t.key('escape').expectPathToBe('root.wand.idle');
    await settle();
    expect(t.editor.wand.preview).toBeNull();
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
    expect(t.editor.canUndo).toBe(false);
  });

  it('keeps the selection when another tool is picked, and never paints over a locked class', async () => {
    const t = new TestEditor(6, 5);
    t.openSample('b', art(['......', '..33..', '..33..', '......', '......']).pixels);
    const { source } = squares(6, 5);
    t.editor.wand.setSource(source);
    t.key('3').key('l').key('2');
    t.key('w').click(2, 2);
    await settle();
    t.key('b').expectPathToBe('root.brush.idle');
    await settle();
    expect(toArt(t.raster)).toEqual(['22222.', '22332.', '22332.', '22222.', '22222.']);
    expect(t.editor.session!.history.undoLabels).toEqual(['Wand']);
  });

  it('says it needs the studio when no source answers', () => {
    const t = new TestEditor(8, 8);
    t.key('w').click(3, 3);
    expect(wandHintText(t.editor.wand.preview)).toBe('The wand needs the studio: open the sample there.');
  });
});
