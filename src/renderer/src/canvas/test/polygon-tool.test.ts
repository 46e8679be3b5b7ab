import { describe, expect, it } from 'vitest';
import { readShapes } from '../../../../shared/annotation-shapes';
import { toArt } from '../../../../shared/raster/test/pixel-art';
import { TestEditor } from './test-editor';

/** A polygon tool on a 10×8 image with a closed square (1,1)–(7,1)–(7,6)–(1,6) of the active class. */
function withSquare(): TestEditor {
  const t = new TestEditor(10, 8);
  t.hitRadius = 0.3;
  t.key('p').click(1, 1).click(7, 1).click(7, 6).click(1, 6).click(1.2, 1.1);
  return t;
}

const SQUARE = [
  '..........',
  '.######...',
  '.######...',
  '.######...',
  '.######...',
  '.######...',
  '..........',
  '..........',
];

describe('polygon tool', () => {
  it('adds a vertex per click and closes on the first vertex', () => {
    const t = new TestEditor(10, 8);
    t.key('p').expectPathToBe('root.polygon.idle');
    t.click(1, 1).expectPathToBe('root.polygon.drawing');
    t.click(7, 1).click(7, 6).click(1, 6);
    expect(t.editor.guides.draft?.points).toEqual([1, 1, 7, 1, 7, 6, 1, 6]);
    t.click(1.2, 1.1).expectPathToBe('root.polygon.idle');
    expect(toArt(t.raster)).toEqual(SQUARE);
    expect(t.editor.session!.shapes).toEqual([
      { id: 's1', kind: 'polygon', classId: 1, rings: [[1, 1, 7, 1, 7, 6, 1, 6]], fillRule: 'nonzero' },
    ]);
    expect(t.editor.selectedShape?.id).toBe('s1');
    expect(readShapes(t.commits[0].shapes)).toHaveLength(1);
  });

  it('closes with Enter, cancels with Escape, and takes vertices back with Backspace', () => {
    const t = new TestEditor(10, 8);
    t.key('p').click(1, 1).click(7, 1).key('enter').expectPathToBe('root.polygon.drawing');
    t.click(7, 6).key('backspace');
    expect(t.editor.guides.draft?.points).toEqual([1, 1, 7, 1]);
    t.key('escape').expectPathToBe('root.polygon.idle');
    expect(t.editor.guides.draft).toBeNull();
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
    t.click(1, 1).click(7, 1).click(7, 6).click(1, 6).key('enter').expectPathToBe('root.polygon.idle');
    expect(toArt(t.raster)).toEqual(SQUARE);
  });

  it('drags a vertex of the selected polygon as one undo step', () => {
    const t = withSquare();
    t.pointerDown(7, 6).expectPathToBe('root.polygon.dragging_vertex');
    t.pointerMove(8, 7).pointerMove(9, 7);
    expect(toArt(t.raster)).toEqual(SQUARE); // pixels change on release only
    t.pointerUp(9, 7).expectPathToBe('root.polygon.idle');
    expect(t.editor.session!.shapes[0].rings[0]).toEqual([1, 1, 7, 1, 9, 7, 1, 6]);
    const moved = toArt(t.raster);
    expect(moved).not.toEqual(SQUARE);
    t.key('ctrl+z');
    expect(toArt(t.raster)).toEqual(SQUARE);
    expect(t.editor.session!.shapes[0].rings[0]).toEqual([1, 1, 7, 1, 7, 6, 1, 6]);
    expect(t.editor.selectedShape?.id).toBe('s1'); // undo keeps the polygon selected for the next edit
    t.key('ctrl+y');
    expect(toArt(t.raster)).toEqual(moved);
  });

  it('puts a dragged vertex back on Escape', () => {
    const t = withSquare();
    t.pointerDown(7, 6).pointerMove(9, 7).key('escape').expectPathToBe('root.polygon.idle');
    expect(t.editor.session!.shapes[0].rings[0]).toEqual([1, 1, 7, 1, 7, 6, 1, 6]);
    expect(toArt(t.raster)).toEqual(SQUARE);
  });

  it('inserts a vertex where an edge is pressed and deletes one with Alt+click', () => {
    const t = withSquare();
    t.drag([
      [4, 1],
      [4, 0],
    ]);
    expect(t.editor.session!.shapes[0].rings[0]).toEqual([1, 1, 4, 0, 7, 1, 7, 6, 1, 6]);
    expect(t.editor.session!.history.undoLabels).toEqual(['Polygon', 'Insert vertex']);
    t.click(4, 0, { altKey: true });
    expect(t.editor.session!.shapes[0].rings[0]).toEqual([1, 1, 7, 1, 7, 6, 1, 6]);
    expect(toArt(t.raster)).toEqual(SQUARE);
  });

  it('cuts a hole in the selected polygon in subtract mode', () => {
    const t = withSquare();
    t.key('s').click(3, 2).click(5, 2).click(5, 4).click(3, 4).key('enter');
    expect(toArt(t.raster)).toEqual([
      '..........',
      '.######...',
      '.##..##...',
      '.##..##...',
      '.######...',
      '.######...',
      '..........',
      '..........',
    ]);
    expect(t.editor.session!.shapes[0].rings).toHaveLength(2);
    // Moving the outline keeps the hole.
    t.key('s').drag([
      [7, 6],
      [9, 6],
    ]);
    expect(toArt(t.raster)[3]).toBe('.##..###..');
  });

  it('erases under a subtract polygon when nothing is selected', () => {
    const t = withSquare();
    t.key('escape').key('s').click(0, 0).click(4, 0).click(4, 8).click(0, 8).key('enter');
    expect(toArt(t.raster)[2]).toBe('....###...');
  });

  it('selects a polygon with Shift+click and deletes it with Delete', () => {
    const t = withSquare();
    t.key('escape');
    expect(t.editor.selectedShape).toBeNull();
    t.click(3, 3, { shiftKey: true });
    expect(t.editor.selectedShape?.id).toBe('s1');
    t.key('delete');
    expect(t.editor.session!.shapes).toEqual([]);
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
    t.key('ctrl+z');
    expect(toArt(t.raster)).toEqual(SQUARE);
  });

  it('leaves paint laid over a polygon when the polygon is edited', () => {
    const t = withSquare();
    t.key('2').key('b');
    t.editor.setBrushSize(1);
    t.click(2.5, 2.5);
    t.key('p')
      .click(3, 3, { shiftKey: true })
      .drag([
        [7, 6],
        [9, 6],
      ]);
    // The right edge now runs from (7, 1) to (9, 6), crossing row 2's centre at x = 7.6; the class-2 pixel stayed.
    expect(toArt(t.raster)[2]).toBe('.#2#####..');
  });

  it('draws a self-intersecting polygon with the non-zero rule', () => {
    const t = new TestEditor(8, 8);
    t.key('p').click(0, 0).click(8, 8).click(8, 0).click(0, 8).key('enter');
    expect(toArt(t.raster)[1]).toBe('#.....##');
  });
});
