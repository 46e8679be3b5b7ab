/** WCAG contrast and the swatch outline rule, against known values. */
import { describe, expect, it } from 'vitest';
import { contrastRatio, parseColor, swatchNeedsOutline } from '../color-contrast';

describe('colour contrast', () => {
  it('reads hex and CSS rgb() colours, and gives WCAG ratios', () => {
    expect(parseColor('#FF8800')).toEqual([255, 136, 0]);
    expect(parseColor('rgb(37, 42, 49)')).toEqual([37, 42, 49]);
    expect(parseColor('rgba(0, 0, 0, 0)')).toBeNull();
    expect(contrastRatio([0, 0, 0], [255, 255, 255])).toBeCloseTo(21, 5);
    expect(contrastRatio([255, 255, 255], [255, 255, 255])).toBeCloseTo(1, 5);
  });

  it('outlines a swatch that blurs into the panel: black on a dark panel, white on a light one', () => {
    const dark = parseColor('rgb(47, 52, 60)');
    const light = parseColor('rgb(255, 255, 255)');
    expect(swatchNeedsOutline('#000000', dark)).toBe(true);
    expect(swatchNeedsOutline('#ffffff', light)).toBe(true);
    expect(swatchNeedsOutline('#c03a2b', light)).toBe(false);
    expect(swatchNeedsOutline('#ffffff', dark)).toBe(false);
  });
});
