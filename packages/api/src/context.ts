import type { CoreDeps, SessionInfo } from '@plugboard/core';
import type { Em } from '@plugboard/db';
import { DEFAULT_ACCENTS, type ThemeDto } from '@plugboard/contracts';

/**
 * What every procedure sees. Built by the HTTP adapter (apps/server) from the request, or
 * directly in tests via `createContextInner`.
 */
export interface Context {
  /** A request-scoped fork: never the global EntityManager. */
  em: Em;
  deps: CoreDeps;
  session: SessionInfo | null;
  /** The raw bearer token of a server-API call, checked by `apiKeyProcedure`. */
  apiKey: string | undefined;
  /** Whether the dev-only "Continue as demo user" route exists in this deployment. */
  demoLoginAvailable: boolean;
  /** The host's name, accent and logo for the Connect UI (apps/server/src/theme.ts). */
  theme: ThemeDto;
}

export const DEFAULT_THEME: ThemeDto = {
  name: 'Plugboard',
  logoUrl: null,
  light: { ...DEFAULT_ACCENTS.light },
  dark: { ...DEFAULT_ACCENTS.dark },
};

export function createContextInner(opts: {
  em: Em;
  deps: CoreDeps;
  session?: SessionInfo | null;
  apiKey?: string;
  demoLoginAvailable?: boolean;
  theme?: ThemeDto;
}): Context {
  return {
    em: opts.em,
    deps: opts.deps,
    session: opts.session ?? null,
    apiKey: opts.apiKey,
    demoLoginAvailable: opts.demoLoginAvailable ?? false,
    theme: opts.theme ?? DEFAULT_THEME,
  };
}
