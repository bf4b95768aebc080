import { ProviderIdSchema, safeString, type ErrorCode } from '@plugboard/contracts';
import type { SessionInfo } from '@plugboard/core';
import { z } from 'zod';

/**
 * What `@plugboard/connect` adds to a connect link (packages/connect/src/index.ts): how it shows
 * the Connect UI, which page asked, and the host's hints. Validated here, at the door; the
 * Connect UI checks the origin against the session again before it posts anything.
 */
const EmbedQuerySchema = z.object({
  embed: z.enum(['popup', 'modal', 'redirect']).optional(),
  origin: safeString().max(255).optional(),
  provider: ProviderIdSchema.optional(),
  shop: safeString().trim().max(255).optional(),
});

const embedOrigins = new WeakMap<object, string[]>();

/** The /connect route knows the new session's origins before its cookie exists: remember them. */
export function rememberEmbedOrigins(req: object, origins: string[]): void {
  embedOrigins.set(req, origins);
}

export function rememberedEmbedOrigins(req: object): string[] | undefined {
  return embedOrigins.get(req);
}

export type EmbedMode = 'popup' | 'modal' | 'redirect';

export type EmbedOutcome =
  { ok: true; path: string; mode: EmbedMode | null } | { ok: false; code: ErrorCode };

/** Where the Connect UI starts after a connect link, carrying the SDK's (validated) hints. */
export function embedLanding(query: Record<string, unknown>, session: SessionInfo): EmbedOutcome {
  const parsed = EmbedQuerySchema.safeParse({
    embed: query.embed,
    origin: query.origin,
    provider: query.provider,
    shop: query.shop,
  });
  if (!parsed.success) return { ok: false, code: 'VALIDATION_FAILED' };
  const { embed, origin, provider, shop } = parsed.data;
  if (!embed) return { ok: true, path: '/', mode: null };
  // Popup and modal talk to the page that opened them: it must be one the token allowed.
  if (embed !== 'redirect' && (!origin || !session.allowedOrigins.includes(origin))) {
    return { ok: false, code: 'EMBED_ORIGIN_NOT_ALLOWED' };
  }
  const params = new URLSearchParams({ embed });
  if (embed !== 'redirect' && origin) params.set('origin', origin);
  if (provider) params.set('provider', provider);
  if (shop) params.set('shop', shop);
  return { ok: true, path: `/?${params.toString()}`, mode: embed };
}
