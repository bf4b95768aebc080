import type { CSSProperties } from 'react';

const FALLBACK_COLOR = '#64748b';

/** The catalog's colour if it is a plain hex colour; anything else is not put into a style. */
export function safeColor(color: string | undefined): string {
  return color && /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(color) ? color : FALLBACK_COLOR;
}

/** Black or white, whichever reads better on `hex` (WCAG relative luminance). */
function textOn(hex: string): string {
  const full = hex.length === 4 ? hex.replace(/^#(.)(.)(.)$/, '#$1$1$2$2$3$3') : hex;
  const channel = (offset: number) => {
    const c = parseInt(full.slice(offset, offset + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? '#111827' : '#ffffff';
}

/** CSS variables carrying a provider's colour to the stylesheet. */
export function providerStyle(color: string | undefined): CSSProperties {
  const background = safeColor(color);
  return {
    '--provider-color': background,
    '--provider-contrast': textOn(background),
  } as CSSProperties;
}

interface ProviderMarkProps {
  name: string;
  color: string | undefined;
  size?: 'small' | 'large';
}

/** A monogram tile: logos would have to come from other hosts, which this page never loads. */
export function ProviderMark({ name, color, size = 'large' }: ProviderMarkProps) {
  const initial = name.trim().charAt(0).toUpperCase() || '?';
  return (
    <span
      className={`provider-mark provider-mark-${size}`}
      style={providerStyle(color)}
      aria-hidden="true"
    >
      {initial}
    </span>
  );
}
