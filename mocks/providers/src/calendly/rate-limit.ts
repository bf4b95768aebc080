import type { FastifyReply } from 'fastify';
import type { ProviderContext } from '../core/personality';
import type { CalendlyAccount } from './account';

/**
 * "Only 8 OAuth tokens per user can be requested within a span of 1 minute", and a request over
 * a limit is answered `429` with `X-RateLimit-Limit`, `X-RateLimit-Remaining: 0` and
 * `X-RateLimit-Reset` (seconds until the window resets) — no `Retry-After`
 * (https://developer.calendly.com/api-docs/overview/rate-limits). The mock counts the tokens
 * issued per user (code exchanges and refreshes) over a sliding minute on the mock clock.
 */
export const TOKENS_PER_USER_PER_MINUTE = 8;

export function rateLimitHeaders(limit: number, remaining: number, resetSeconds: number) {
  return {
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetSeconds),
  };
}

export function createTokenRateLimit(ctx: ProviderContext<CalendlyAccount>) {
  let issued = new Map<string, number[]>();
  ctx.onReset(() => {
    issued = new Map();
  });
  return {
    /**
     * Counts a token for `user`, or answers the 429 and returns false when the user already had
     * eight within the last minute.
     */
    allow(user: string, reply: FastifyReply): boolean {
      const now = ctx.clock.now();
      const recent = (issued.get(user) ?? []).filter((at) => now - at < 60_000);
      if (recent.length >= TOKENS_PER_USER_PER_MINUTE) {
        const reset = Math.max(1, Math.ceil((recent[0]! + 60_000 - now) / 1000));
        issued.set(user, recent);
        void reply
          .status(429)
          .headers(rateLimitHeaders(TOKENS_PER_USER_PER_MINUTE, 0, reset))
          // The body's wording is the mock's: Calendly documents the headers, not this body.
          .send({ title: 'Too Many Requests', message: 'You have exceeded the rate limit.' });
        return false;
      }
      recent.push(now);
      issued.set(user, recent);
      return true;
    },
  };
}
