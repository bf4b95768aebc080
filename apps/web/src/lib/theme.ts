import { TEXT_LIGHT, type ThemeDto } from '@plugboard/contracts';
import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTRPC } from './trpc';

const PROPERTIES = [
  '--theme-accent',
  '--theme-accent-text',
  '--theme-accent-hover',
  '--theme-accent-dark',
  '--theme-accent-dark-text',
  '--theme-accent-dark-hover',
] as const;

/** Hover moves away from the text colour, so the text keeps (at least) its 4.5:1. */
const hoverOf = (accent: string, text: string) =>
  // eslint-disable-next-line lingui/no-unlocalized-strings -- a CSS value, not text for people
  `color-mix(in srgb, ${accent} 85%, ${text === TEXT_LIGHT ? '#000000' : '#ffffff'})`;

/**
 * The host's theme (connect.theme.get, once there is a session): its name and logo, and its
 * accents applied as CSS custom properties that features.css turns into `--accent` for each
 * colour scheme. The server has already checked the contrast; a theme that does not match the
 * contract never reaches the page. `pending` is true while it loads, so the header does not flash a default.
 */
export function useTheme(hasSession: boolean): { theme: ThemeDto | null; pending: boolean } {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.connect.theme.get.queryOptions(undefined, { staleTime: Infinity, enabled: hasSession }),
  );
  // The server parses the theme with ThemeDtoSchema before it answers (`.output()` in
  // packages/api/src/routers/connect/theme/get-theme.ts), so the browser need not ship zod to
  // parse it again. `data` keeps its identity between renders (TanStack Query shares it).
  const theme = query.data ?? null;

  useEffect(() => {
    const root = document.documentElement;
    if (!theme) return;
    const values: Record<(typeof PROPERTIES)[number], string> = {
      '--theme-accent': theme.light.accent,
      '--theme-accent-text': theme.light.accentText,
      '--theme-accent-hover': hoverOf(theme.light.accent, theme.light.accentText),
      '--theme-accent-dark': theme.dark.accent,
      '--theme-accent-dark-text': theme.dark.accentText,
      '--theme-accent-dark-hover': hoverOf(theme.dark.accent, theme.dark.accentText),
    };
    for (const name of PROPERTIES) root.style.setProperty(name, values[name]);
    root.dataset.themed = '';
    return () => {
      for (const name of PROPERTIES) root.style.removeProperty(name);
      delete root.dataset.themed;
    };
  }, [theme]);

  return { theme, pending: hasSession && query.isPending };
}
