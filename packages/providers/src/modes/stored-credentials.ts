import { z } from 'zod';
import type { TokenSet } from '../types';
import type { Credentials } from './types';

/**
 * The JSON a connection's credentials are sealed as (`connections.credentials_enc`), one shape
 * per mode. Rows written before modes existed have no `type`: they are read as what they were —
 * an OAuth token set, or (token type `telegram-session`) a Telegram session that was stored in
 * the access token — so every stored connection still opens, and is rewritten in the new shape
 * the next time its credentials are sealed.
 */
const StoredTokenFields = {
  accessToken: z.string(),
  refreshToken: z.string().nullable(),
  tokenType: z.string(),
  expiresAt: z.string().nullable(),
  scopes: z.array(z.string()),
};
const StoredOAuth2Schema = z.object({
  type: z.literal('oauth2'),
  ...StoredTokenFields,
  raw: z.record(z.string(), z.unknown()),
  /** A grant's further tokens (Slack's bot token); absent in rows written before them. */
  additionalTokens: z.record(z.string(), z.object(StoredTokenFields)).optional(),
});

const StoredCredentialsSchema = z.discriminatedUnion('type', [
  StoredOAuth2Schema,
  z.object({ type: z.literal('telegram'), session: z.string().min(1) }),
  z.object({ type: z.literal('api_key'), values: z.record(z.string(), z.string()) }),
]);
type StoredCredentials = z.infer<typeof StoredCredentialsSchema>;

/** The pre-mode shape: an OAuth token set, Telegram's session in `accessToken`. */
const LegacyCredentialsSchema = StoredOAuth2Schema.omit({ type: true });
const LEGACY_TELEGRAM_TOKEN_TYPE = 'telegram-session';

function upgrade(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || 'type' in value) return value;
  const legacy = LegacyCredentialsSchema.parse(value);
  return legacy.tokenType === LEGACY_TELEGRAM_TOKEN_TYPE
    ? { type: 'telegram', session: legacy.accessToken }
    : { type: 'oauth2', ...legacy };
}

/**
 * Credentials with their mode's `type`: a bare token set (what the OAuth engine returns, and
 * what rows before modes held) is the oauth2 mode's.
 */
export function typedCredentials(c: Credentials | TokenSet): Credentials {
  return 'type' in c ? c : { type: 'oauth2', ...c };
}

/** The token set of credentials that are one (the oauth2 mode's); null for any other mode. */
export function tokenSetOf(c: Credentials): TokenSet | null {
  if (c.type !== 'oauth2') return null;
  const { type: _type, ...tokens } = c;
  return tokens;
}

export function serializeCredentials(c: Credentials): string {
  const stored: StoredCredentials =
    c.type === 'oauth2'
      ? {
          type: 'oauth2',
          accessToken: c.accessToken,
          refreshToken: c.refreshToken,
          tokenType: c.tokenType,
          expiresAt: c.expiresAt?.toISOString() ?? null,
          scopes: c.scopes,
          raw: c.raw,
          ...(c.additionalTokens
            ? {
                additionalTokens: Object.fromEntries(
                  Object.entries(c.additionalTokens).map(([name, t]) => [
                    name,
                    { ...t, expiresAt: t.expiresAt?.toISOString() ?? null },
                  ]),
                ),
              }
            : {}),
        }
      : c;
  return JSON.stringify(stored);
}

/** Reads sealed-and-opened credentials JSON, old rows included; throws if it is not one. */
export function parseStoredCredentials(json: string): Credentials {
  const s = StoredCredentialsSchema.parse(upgrade(JSON.parse(json)));
  switch (s.type) {
    case 'oauth2': {
      const { additionalTokens, ...main } = s;
      const date = (iso: string | null) => (iso ? new Date(iso) : null);
      return {
        ...main,
        expiresAt: date(main.expiresAt),
        ...(additionalTokens
          ? {
              additionalTokens: Object.fromEntries(
                Object.entries(additionalTokens).map(([name, t]) => [
                  name,
                  { ...t, expiresAt: date(t.expiresAt) },
                ]),
              ),
            }
          : {}),
      };
    }
    case 'telegram':
    case 'api_key':
      return s;
  }
}
