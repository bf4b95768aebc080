import { describe, expect, it } from 'vitest';
import {
  contrastRatio,
  DEFAULT_ACCENTS,
  readableTextOn,
  relativeLuminance,
  resolveAccent,
  TEXT_DARK,
  TEXT_LIGHT,
} from './theme';

describe('WCAG contrast', () => {
  it('computes relative luminance and contrast ratios as WCAG defines them', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBe(1);
    expect(relativeLuminance('#fff')).toBe(1);
    // Known values: mid grey #777 is 4.48:1 on white (fails AA), #767676 is 4.54:1 (passes).
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#767676', '#ffffff')).toBeCloseTo(4.54, 2);
    expect(contrastRatio('#ffffff', '#767676')).toBe(contrastRatio('#767676', '#ffffff'));
    expect(contrastRatio('#4338ca', '#4338ca')).toBe(1);
  });

  it('picks white or dark text, whichever reaches 4.5:1', () => {
    expect(readableTextOn('#4338ca')).toBe(TEXT_LIGHT);
    expect(readableTextOn('#fde047')).toBe(TEXT_DARK);
    // No colour defeats both, but a stricter threshold can: then there is no answer.
    expect(readableTextOn('#777777', 7)).toBeNull();
  });

  it('keeps a readable accent and falls back from one that cannot carry text', () => {
    expect(resolveAccent('#0F766E', 'light')).toEqual({
      accent: '#0f766e',
      accentText: TEXT_LIGHT,
      fellBack: false,
    });
    // Yellow takes dark text, but as link colour on the light page it is 1.3:1: refused.
    expect(resolveAccent('#fde047', 'light')).toEqual({ ...DEFAULT_ACCENTS.light, fellBack: true });
    // The same yellow reads well on the dark page, with dark text on it.
    expect(resolveAccent('#fde047', 'dark')).toEqual({
      accent: '#fde047',
      accentText: TEXT_DARK,
      fellBack: false,
    });
    expect(resolveAccent(undefined, 'light')).toEqual({
      ...DEFAULT_ACCENTS.light,
      fellBack: false,
    });
    for (const scheme of ['light', 'dark'] as const) {
      const { accent, accentText } = DEFAULT_ACCENTS[scheme];
      expect(contrastRatio(accent, accentText)).toBeGreaterThanOrEqual(4.5);
    }
  });
});
