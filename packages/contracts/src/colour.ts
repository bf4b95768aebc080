// No zod here: the Connect UI imports these, and a module that builds schemas at its top level
// pulls all of zod into the browser bundle (apps/web/src/bundle-size.test.ts).
/**
 * Colour contrast as WCAG 2.2 defines it (https://www.w3.org/TR/WCAG22/#dfn-relative-luminance,
 * https://www.w3.org/TR/WCAG22/#dfn-contrast-ratio), for the host's accent colour and provider
 * tiles. Shared by the server (which resolves the theme) and the Connect UI.
 */
export const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

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
