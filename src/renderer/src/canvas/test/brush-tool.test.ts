import { describe, expect, it } from 'vitest';
import { capsuleMask, strokeMask } from '../../../../shared/raster/brush';
import { lockTable } from '../../../../shared/raster/label-raster';
import { paintMask } from '../../../../shared/raster/paint';
import { art, toArt } from '../../../../shared/raster/test/pixel-art';
import { TestEditor } from './test-editor';

describe('brush tool', () => {
  it('goes idle → painting → idle and paints the stroke the rasterizer gives', () => {
    const t = new TestEditor(32, 24);
    t.key('b').expectPathToBe('root.brush.idle');
    t.pointerDown(3.3, 4.1).expectPathToBe('root.brush.painting');
    t.pointerMove(10.2, 6.6).pointerMove(20.9, 15.4);
    t.pointerUp(20.9, 15.4).expectPathToBe('root.brush.idle');
    const expected = new Uint8Array(32 * 24);
    paintMask(
      { width: 32, height: 24, pixels: expected },
      strokeMask([3.3, 4.1, 10.2, 6.6, 20.9, 15.4], 9, 32, 24),
      1,
      lockTable(),
    );
    expect(t.raster.pixels).toEqual(expected);
  });

  it('makes one undo step per stroke, however many moves it has', () => {
    const t = new TestEditor(16, 16);
    t.key('b').drag([
      [2, 2],
      [4, 3],
      [6, 5],
      [8, 8],
    ]);
    t.key('2').drag([
      [12, 2],
      [12, 12],
    ]);
    expect(t.editor.session!.history.undoLabels).toEqual(['Brush', 'Brush']);
    const afterBoth = t.raster.pixels.slice();
    t.key('ctrl+z');
    expect(t.raster.pixels.some((v) => v === 2)).toBe(false);
    expect(t.raster.pixels.some((v) => v === 1)).toBe(true);
    t.key('ctrl+z');
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
    t.key('ctrl+shift+z').key('ctrl+y');
    expect(t.raster.pixels).toEqual(afterBoth);
    expect(t.commits.map((c) => c.version)).toEqual([...t.commits.map((c) => c.version)].sort((a, b) => a - b));
    expect(t.commits).toHaveLength(6);
  });

  it('takes a stroke back when Escape is pressed while painting', () => {
    const t = new TestEditor(16, 16);
    t.key('b').pointerDown(2, 2).pointerMove(10, 10);
    expect(t.raster.pixels.some((v) => v === 1)).toBe(true);
    t.key('escape').expectPathToBe('root.brush.idle');
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
    expect(t.editor.canUndo).toBe(false);
    expect(t.commits).toHaveLength(0);
  });

  it('changes the size with [ and ] and paints with the size in image pixels', () => {
    const t = new TestEditor(12, 12);
    t.key('b');
    for (let i = 0; i < 10; i++) t.key('[');
    expect(t.editor.settings.brushSize).toBe(1);
    t.click(5.5, 5.5);
    expect(t.raster.pixels.reduce((s, v) => s + v, 0)).toBe(1);
    t.key(']').key(']');
    expect(t.editor.settings.brushSize).toBe(3);
    t.click(2.5, 2.5);
    expect(toArt(t.raster).slice(0, 4)).toEqual(['............', '.###........', '.###........', '.###........']);
  });

  it('erases to background but never through a locked class', () => {
    const t = new TestEditor(6, 3);
    t.openSample('b', art(['112233', '112233', '112233']).pixels);
    t.key('2').key('l');
    expect(t.editor.settings.locked.has(2)).toBe(true);
    t.key('e').key('[').key('[').key('[').key('[').key('[').key('[').key('[').key('[');
    t.editor.setBrushSize(3);
    t.drag([
      [0.5, 1.5],
      [5.5, 1.5],
    ]);
    expect(toArt(t.raster)).toEqual(['..22..', '..22..', '..22..']);
  });

  it('paints the same pixels move by move as the capsules between the moves', () => {
    const t = new TestEditor(40, 40);
    t.key('b');
    t.editor.setBrushSize(6);
    const pts: [number, number][] = [
      [1, 1],
      [7.25, 3.5],
      [30, 33.75],
      [38.5, 2],
    ];
    t.drag(pts);
    const expected = { width: 40, height: 40, pixels: new Uint8Array(1600) };
    for (let i = 0; i + 1 < pts.length; i++)
      paintMask(expected, capsuleMask(pts[i], pts[i + 1], 6, 40, 40), 1, lockTable());
    expect(toArt(t.raster)).toEqual(toArt(expected));
  });
});
