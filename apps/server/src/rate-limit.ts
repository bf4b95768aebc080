import fastifyRateLimit, { normalizeIP } from '@fastify/rate-limit';
import { AccessTokenSchema, ApiKeySchema } from '@plugboard/contracts';
import { sha256Hex, verifyApiKey } from '@plugboard/core';
import type { Orm } from '@plugboard/db';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServerEnv } from './env';

/** A key found valid is trusted for the bucket choice this long (it is checked again per call). */
const KNOWN_KEY_TTL_MS = 60_000;
const KNOWN_KEYS_MAX = 10_000;

/**
 * Two budgets, each per minute and counted in this instance's memory:
 * - a request carrying a valid API key or client access token (`Authorization: Bearer pk_…` or
 *   `pat_…`, the server API) is counted
 *   against that key — the bucket is the key's SHA-256, never the key — so host backends behind
 *   one NAT address do not share a budget, with each other or with browsers;
 * - everything else (the Connect UI, browser routes, and requests with an unknown key, so made-up
 *   keys buy no fresh budget) is counted per client IP.
 * Every response carries RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds), the
 * fields of https://datatracker.ietf.org/doc/html/draft-ietf-httpapi-ratelimit-headers-06 as
 * @fastify/rate-limit's `enableDraftSpec` sends them; a 429 adds Retry-After.
 * Routes may set a tighter per-IP limit of their own (`config.rateLimit`), counted separately.
 */
export async function registerRateLimits(
  app: FastifyInstance,
  opts: { env: ServerEnv; orm: Orm },
): Promise<void> {
  const { env, orm } = opts;
  const knownKeys = new Map<string, number>();

  const isKnownKey = async (key: string, hash: string): Promise<boolean> => {
    const until = knownKeys.get(hash);
    if (until !== undefined && until > Date.now()) return true;
    const valid = await verifyApiKey(orm.em.fork(), key).then(
      () => true,
      () => false,
    );
    if (valid) {
      if (knownKeys.size >= KNOWN_KEYS_MAX) knownKeys.clear();
      knownKeys.set(hash, Date.now() + KNOWN_KEY_TTL_MS);
    }
    return valid;
  };

  const bucketOf = async (req: FastifyRequest): Promise<string> => {
    const auth = req.headers.authorization;
    const key = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    if (key && (ApiKeySchema.safeParse(key).success || AccessTokenSchema.safeParse(key).success)) {
      const hash = sha256Hex(key);
      if (await isKnownKey(key, hash)) return `key:${hash}`;
    }
    // IPv6 clients are counted per /64, as the plugin's own default does.
    return `ip:${normalizeIP(req.ip)}`;
  };

  await app.register(fastifyRateLimit, {
    global: env.rateLimit,
    enableDraftSpec: true,
    timeWindow: '1 minute',
    keyGenerator: bucketOf,
    max: (_req, bucket) =>
      bucket.startsWith('key:') ? env.rateLimitPerApiKeyPerMinute : env.rateLimitPerIpPerMinute,
  });
}
