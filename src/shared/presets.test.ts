import { describe, expect, it } from 'vitest';
import { vocColor, paletteColor, parseHexColor } from './palette';
import { PRESETS, presetClasses } from './presets';

describe('class presets', () => {
  it("hold DatasetGAN's class counts with background first", () => {
    expect(PRESETS.face34).toHaveLength(34);
    expect(PRESETS.car20).toHaveLength(20);
    expect(PRESETS.cat16).toHaveLength(16);
    for (const names of Object.values(PRESETS)) {
      expect(names[0]).toBe('background');
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('give every class a distinct colour and at most one class per hotkey', () => {
    const face = presetClasses('FACE34')!;
    expect(new Set(face.map((c) => c.color)).size).toBe(34);
    const keys = face.map((c) => c.hotkey).filter((k) => k !== null);
    expect(new Set(keys).size).toBe(keys.length);
    expect(presetClasses('horses')).toBeNull();
  });
});

describe('VOC palette', () => {
  it('matches the Pascal VOC colour map', () => {
    expect(vocColor(0)).toEqual([0, 0, 0]);
    expect(vocColor(1)).toEqual([128, 0, 0]);
    expect(vocColor(2)).toEqual([0, 128, 0]);
    expect(vocColor(15)).toEqual([192, 128, 128]);
    expect(parseHexColor(paletteColor(7))).toEqual(vocColor(7));
  });
});
