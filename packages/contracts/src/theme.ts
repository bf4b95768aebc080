import { z } from 'zod';

/**
 * Colour contrast as WCAG 2.2 defines it (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance,
 * https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio), for the host's accent colour and provider
 * tiles. Shared by the server (which resolves the theme) and the Connect UI.
 */
const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

export const HexColorSchema = z.string().regex(HEX_COLOR, 'must be a hex colour such as #4f46e5');

/** `#abc` → `#aabbcc`, lower case. */
export function expandHex(hex: string): string {
  if (!HEX_COLOR.test(hex)) throw new Error(`not a hex colour: ${hex}`);
  const h = hex.toLowerCase();
  return h.length === 4 ? `#${h[1]}${h[1]}${h[2]}${h[2]}${h[3]}${h[3]}` : h;
}

export function relativeLuminance(hex: string): number {
  const full = expandHex(hex);
  const channel = (offset: number) => {
    const c = parseInt(full.slice(offset, offset + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** (lighter + 0.05) / (darker + 0.05): 1 for equal colours, 21 for black on white. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** WCAG AA for normal-size text. */
export const MIN_TEXT_CONTRAST = 4.5;

export const TEXT_LIGHT = '#ffffff';
export const TEXT_DARK = '#111827';

/** White or near-black, whichever reads better on `background`, or null if neither reaches `min`. */
export function readableTextOn(background: string, min = MIN_TEXT_CONTRAST): string | null {
  const light = contrastRatio(background, TEXT_LIGHT);
  const dark = contrastRatio(background, TEXT_DARK);
  const best = light >= dark ? TEXT_LIGHT : TEXT_DARK;
  return Math.max(light, dark) >= min ? best : null;
}

/** The Connect UI's own accents (apps/web/src/styles.css `--accent`, light and dark). */
export const DEFAULT_ACCENTS = {
  light: { accent: '#4338ca', accentText: TEXT_LIGHT },
  dark: { accent: '#818cf8', accentText: '#0f1115' },
} as const;

/**
 * The darkest (light scheme) and lightest (dark scheme) backgrounds links sit on in
 * apps/web/src/styles.css: an accent that reads on these reads on every surface.
 */
export const PAGE_BACKGROUNDS = { light: '#f5f6f8', dark: '#1d2129' } as const;

export const AccentSchema = z.object({
  /** Background of primary buttons, and the colour of links on the page. */
  accent: HexColorSchema,
  /** Text on `accent`: at least 4.5:1 against it. */
  accentText: HexColorSchema,
});
export type Accent = z.infer<typeof AccentSchema>;

export const ThemeDtoSchema = z.object({
  /** The host app's name, shown in the header and the page title. */
  name: z.string(),
  /** An https image URL (or http on loopback in development), or null for Plugboard's mark. */
  logoUrl: z.string().nullable(),
  light: AccentSchema,
  dark: AccentSchema,
});
export type ThemeDto = z.infer<typeof ThemeDtoSchema>;

/**
 * The accent one colour scheme may use: the configured colour with white or dark text when one
 * of them reaches 4.5:1 on it and the colour itself reaches 4.5:1 on that scheme's page (links
 * are drawn in it), else the default accent. `fellBack` says the configured one was refused.
 */
export function resolveAccent(
  accent: string | undefined,
  scheme: 'light' | 'dark',
): Accent & { fellBack: boolean } {
  const fallback = { ...DEFAULT_ACCENTS[scheme], fellBack: accent !== undefined };
  if (!accent || !HEX_COLOR.test(accent)) return fallback;
  const text = readableTextOn(accent);
  if (!text || contrastRatio(accent, PAGE_BACKGROUNDS[scheme]) < MIN_TEXT_CONTRAST) return fallback;
  return { accent: expandHex(accent), accentText: text, fellBack: false };
}
