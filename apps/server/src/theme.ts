import { contrastRatio, resolveAccent, type ThemeDto } from '@plugboard/contracts';
import type { BrandEnv } from './env';

/**
 * The Connect UI's theme from PLUGBOARD_BRAND_* (apps/server/src/env.ts). An accent that cannot
 * carry readable text (4.5:1, packages/contracts/src/theme.ts) is replaced by the default accent
 * for that colour scheme, and the reason is returned for the start-up log.
 */
export function resolveTheme(brand: BrandEnv): { theme: ThemeDto; warnings: string[] } {
  const light = resolveAccent(brand.accent, 'light');
  const dark = resolveAccent(brand.accent, 'dark');
  const warnings: string[] = [];
  for (const [scheme, resolved] of [
    ['light', light],
    ['dark', dark],
  ] as const) {
    if (resolved.fellBack && brand.accent) {
      warnings.push(
        `PLUGBOARD_BRAND_ACCENT ${brand.accent} does not reach 4.5:1 contrast in the ${scheme} colour scheme (${contrastRatio(brand.accent, scheme === 'light' ? '#f5f6f8' : '#1d2129').toFixed(2)}:1 on the page); the default accent is used there`,
      );
    }
  }
  return {
    theme: {
      name: brand.name ?? 'Plugboard',
      logoUrl: brand.logoUrl ?? null,
      light: { accent: light.accent, accentText: light.accentText },
      dark: { accent: dark.accent, accentText: dark.accentText },
    },
    warnings,
  };
}
