import { z } from 'zod';
import {
  contrastRatio,
  expandHex,
  HEX_COLOR,
  MIN_TEXT_CONTRAST,
  readableTextOn,
  TEXT_LIGHT,
} from './colour';

export * from './colour';

export const HexColorSchema = z.string().regex(HEX_COLOR, 'must be a hex colour such as #4f46e5');

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
