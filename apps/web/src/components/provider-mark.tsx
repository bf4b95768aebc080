import { readableTextOn, type ProviderBrand } from '@plugboard/contracts';
import type { CSSProperties } from 'react';

const FALLBACK_COLOR = '#64748b';

/** The catalog's colour if it is a plain hex colour; anything else is not put into a style. */
export function safeColor(color: string | undefined): string {
  return color && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color : FALLBACK_COLOR;
}

/** CSS variables carrying a provider's colour (and the text colour that reads on it). */
export function providerStyle(color: string | undefined): CSSProperties {
  const background = safeColor(color);
  return {
    '--provider-color': background,
    // White or dark, whichever reaches 4.5:1 (one always does; see packages/contracts/src/theme.ts).
    '--provider-contrast': readableTextOn(background, 1) ?? '#ffffff',
  } as CSSProperties;
}

interface ProviderMarkProps {
  name: string;
  color: string | undefined;
  brand?: ProviderBrand | null | undefined;
  size?: 'small' | 'large';
}

/**
 * The provider's mark on a tile of its colour: the SVG path its catalog entry declares (drawn
 * here as `<path d>`, never as markup, so nothing is fetched and nothing runs), or its initial
 * when it declares none.
 */
export function ProviderMark({ name, color, brand, size = 'large' }: ProviderMarkProps) {
  // The server only sends a mark that passed ProviderBrandSchema (path data and a hex colour:
  // the `.output()` in packages/api/src/routers/connect/providers/list-providers.ts), so zod
  // stays out of the browser; React sets `d` as an attribute, never as markup.
  const mark = brand ?? null;
  if (mark) {
    return (
      <span
        className={`provider-mark provider-mark-${size} provider-mark-svg`}
        style={providerStyle(mark.hex)}
        aria-hidden="true"
        data-mark="brand"
      >
        <svg viewBox="0 0 24 24" focusable="false">
          <path d={mark.svgPath} fill="currentColor" />
        </svg>
      </span>
    );
  }
  const initial = name.trim().charAt(0).toUpperCase() || '?';
  return (
    <span
      className={`provider-mark provider-mark-${size}`}
      style={providerStyle(color)}
      aria-hidden="true"
      data-mark="letter"
    >
      {initial}
    </span>
  );
}
