import { PlugboardError } from '@plugboard/contracts';
import type { ProviderHttp } from '../http';
import type { CatalogEntry, IntegrationConfig } from '../types';
import { apiKeyMode, type ApiKeyMode } from './api-key';
import { oauth2Mode, type OAuth2Mode } from './oauth2';
import {
  HttpTelegramGateway,
  telegramMode,
  type TelegramGateway,
  type TelegramMode,
} from './telegram';
import type { CredentialsBody, Credentials, ModeCallContext } from './types';

export * from './api-key';
export * from './oauth2';
export * from './step-flow';
export * from './stored-credentials';
export * from './telegram';
export * from './types';

/** Every auth mode, keyed by its `type`: built once in the composition root. */
export interface AuthModes {
  oauth2: OAuth2Mode;
  telegram: TelegramMode;
  api_key: ApiKeyMode;
}

/** What the modes need from outside: each mode's own dependencies, chosen by configuration. */
export interface AuthModeDeps {
  /** Telegram's MTProto login: gramjs in live mode, the mock's HTTP emulation otherwise. */
  telegramGateway: TelegramGateway;
}

export function createAuthModes(deps: AuthModeDeps): AuthModes {
  return {
    oauth2: oauth2Mode,
    telegram: telegramMode(deps.telegramGateway),
    api_key: apiKeyMode(),
  };
}

/**
 * Every mode against the mock providers at `mockUrl` (tests): each mode's outside dependency is
 * the mock's emulation of it, with the mock's own app credentials.
 */
export function createMockAuthModes(mockUrl: string, http: ProviderHttp): AuthModes {
  return createAuthModes({
    telegramGateway: new HttpTelegramGateway({
      baseUrl: `${mockUrl}/telegram`,
      apiId: 100001,
      apiHash: '0123456789abcdef0123456789abcdef',
      http,
    }),
  });
}

/**
 * A stored connection's credentials with their mode's lifecycle bound: what core calls to
 * schedule, refresh, revoke and hand out credentials without knowing which mode it holds.
 */
export interface BoundCredentials {
  readonly credentials: Credentials;
  expiresAt(): Date | null;
  scopes(): string[];
  refreshable(): boolean;
  refresh(entry: CatalogEntry, ctx: ModeCallContext): Promise<Credentials>;
  revoke(entry: CatalogEntry, ctx: ModeCallContext): Promise<boolean>;
  toDto(entry: CatalogEntry): CredentialsBody;
  /** The mode's daily check of credentials that never expire, or null where it has none. */
  readonly healthCheck: ((entry: CatalogEntry, ctx: ModeCallContext) => Promise<void>) | null;
}

function bind<C extends Credentials>(
  mode: {
    expiresAt(c: C): Date | null;
    scopes(c: C): string[];
    refreshable(c: C): boolean;
    refresh(e: CatalogEntry, c: C, ctx: ModeCallContext): Promise<C>;
    revoke(e: CatalogEntry, c: C, ctx: ModeCallContext): Promise<boolean>;
    toDto(e: CatalogEntry, c: C): CredentialsBody<C>;
    healthCheck: ((e: CatalogEntry, c: C, ctx: ModeCallContext) => Promise<void>) | null;
  },
  c: C,
): BoundCredentials {
  const check = mode.healthCheck;
  return {
    credentials: c,
    expiresAt: () => mode.expiresAt(c),
    scopes: () => mode.scopes(c),
    refreshable: () => mode.refreshable(c),
    refresh: (entry, ctx) => mode.refresh(entry, c, ctx),
    revoke: (entry, ctx) => mode.revoke(entry, c, ctx),
    toDto: (entry) => mode.toDto(entry, c),
    healthCheck: check ? (entry, ctx) => check(entry, c, ctx) : null,
  };
}

export function bindCredentials(modes: AuthModes, c: Credentials): BoundCredentials {
  switch (c.type) {
    case 'oauth2':
      return bind(modes.oauth2, c);
    case 'telegram':
      return bind(modes.telegram, c);
    case 'api_key':
      return bind(modes.api_key, c);
  }
}

/**
 * Verifies credentials a user typed for a provider whose mode takes them (api_key) and returns
 * what to store; PROVIDER_NOT_AVAILABLE for a provider that connects another way.
 */
export function verifyTypedCredentials(
  modes: AuthModes,
  entry: CatalogEntry,
  values: Record<string, string>,
  ctx: { http: ProviderHttp; config: IntegrationConfig },
) {
  switch (entry.authMode) {
    case 'api_key':
      return modes.api_key.verify(entry, values, ctx);
    case 'oauth2':
    case 'telegram':
      throw new PlugboardError(
        'PROVIDER_NOT_AVAILABLE',
        `${entry.name} does not connect with typed credentials: use its sign-in instead.`,
      );
  }
}
