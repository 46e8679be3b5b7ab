import { describe, expect, it } from 'vitest';
import { readShapes } from '../../../../shared/annotation-shapes';
import { art, toArt } from '../../../../shared/raster/test/pixel-art';
import { AnnotationStore } from '../model/annotation-store';
import { TestEditor } from './test-editor';

describe('history across samples', () => {
  it("keeps each sample's undo history when moving to another sample and back", () => {
    const t = new TestEditor(8, 4);
    t.key('b');
    t.editor.setBrushSize(1);
    t.click(1.5, 1.5).click(2.5, 1.5);
    const savedA = t.commits[t.commits.length - 1];
    t.openSample('b').click(5.5, 2.5);
    expect(t.editor.session!.sampleId).toBe('b');
    // The studio reopens A with what autosave wrote: the same pixels, so the history is still there.
    t.openSample('a', savedA.labelMap, savedA.shapes);
    expect(t.editor.canUndo).toBe(true);
    t.key('ctrl+z');
    expect(toArt(t.raster)[1]).toBe('.#......');
    t.key('ctrl+z');
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
    t.openSample('b', t.store.get('b')!.raster.pixels);
    t.key('ctrl+z');
    expect(t.raster.pixels.every((v) => v === 0)).toBe(true);
  });

  it('starts a fresh history when the sample comes back with other pixels', () => {
    const t = new TestEditor(4, 2);
    t.key('b').click(1, 1);
    t.openSample('b');
    t.openSample('a', art(['2222', '2222']).pixels);
    expect(t.editor.canUndo).toBe(false);
    expect(toArt(t.raster)).toEqual(['2222', '2222']);
  });

  it('drops the least recently opened sessions beyond its limit', () => {
    const store = new AnnotationStore({ maxSessions: 2 });
    for (const id of ['a', 'b', 'c'])
      store.open(id, { width: 1, height: 1, labelMap: new Uint8Array(1), shapes: null });
    expect(store.size).toBe(2);
    expect(store.get('a')).toBeUndefined();
  });

  it('cancels a stroke in progress when the sample changes', () => {
    const t = new TestEditor(8, 8);
    t.key('b').pointerDown(2, 2).pointerMove(6, 6);
    t.openSample('b');
    expect(t.store.get('a')!.raster.pixels.every((v) => v === 0)).toBe(true);
    expect(t.store.get('a')!.history.canUndo).toBe(false);
    t.expectPathToBe('root.brush.idle');
  });

  it('emits a snapshot the studio can save after every step, with shapes in their envelope', () => {
    const t = new TestEditor(6, 6);
    t.key('p').click(1, 1).click(5, 1).click(5, 5).key('enter');
    const s = t.commits[0];
    expect(s.sampleId).toBe('a');
    expect(s.labelMap).toHaveLength(36);
    expect(s.labelMap).not.toBe(t.raster.pixels);
    expect(readShapes(JSON.parse(JSON.stringify(s.shapes)))[0].rings).toEqual([[1, 1, 5, 1, 5, 5]]);
  });
});

describe('fill, picker and pre-label', () => {
  it('fills the 4-connected region under the click as one step', () => {
    const t = new TestEditor(4, 4);
    t.openSample('f', art(['##..', '##..', '..##', '..##']).pixels);
    t.key('3').key('f').click(3.5, 0.5);
    expect(toArt(t.raster)).toEqual(['##33', '##33', '..##', '..##']);
    t.key('ctrl+z');
    expect(toArt(t.raster)).toEqual(['##..', '##..', '..##', '..##']);
  });

  it('picks the class of the pixel under the click, background included', () => {
    const t = new TestEditor(3, 1);
    t.openSample('p', art(['.#2']).pixels);
    t.key('i').click(2.5, 0.5);
    expect(t.editor.settings.activeClass).toBe(2);
    t.click(0.2, 0.5);
    expect(t.editor.settings.activeClass).toBe(0);
    t.key('1');
    expect(t.editor.settings.activeClass).toBe(1);
    t.key('`');
    expect(t.editor.settings.activeClass).toBe(0);
  });

  it('pre-labels from a prediction in one undoable step, leaving locked classes alone', () => {
    const t = new TestEditor(4, 2);
    t.openSample('p', art(['.12.', '.12.']).pixels);
    t.key('a'); // no prediction yet: nothing happens
    expect(t.editor.canUndo).toBe(false);
    t.prediction = art(['3333', '3333']).pixels;
    t.key('2').key('l').key('a');
    expect(toArt(t.raster)).toEqual(['3323', '3323']);
    expect(t.editor.session!.history.undoLabels).toEqual(['Pre-label']);
    t.key('ctrl+z');
    expect(toArt(t.raster)).toEqual(['.#2.', '.#2.']);
  });
});
