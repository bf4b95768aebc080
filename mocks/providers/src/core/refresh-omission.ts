import type { FastifyRequest } from 'fastify';
import type { FaultInjector } from './faults';
import { readParams } from './oauth';

/**
 * The `omit_refresh_token` fault: the next refresh (`grant_type=refresh_token`) at that endpoint
 * is answered without `refresh_token` (and `refresh_token_expires_in`), and the presented refresh
 * token stays the live one, as at a provider that does not rotate on that refresh (Google never
 * does: https://developers.google.com/identity/protocols/oauth2/web-server#offline). It lets a
 * test check that a client keeps the refresh token it has when an answer carries none. A code
 * exchange does not use the fault up.
 */
export class RefreshOmissions {
  /** Refresh tokens whose next refresh must not rotate them. */
  #keep = new Set<string>();
  #strip = new WeakSet<FastifyRequest>();

  constructor(private readonly faults: FaultInjector) {}

  /** Called before the handler: takes the fault if this request is a refresh. */
  arm(provider: string, endpoint: string, request: FastifyRequest): void {
    const params = { ...readParams(request.query), ...readParams(request.body) };
    if (params.grant_type !== 'refresh_token' || params.refresh_token === undefined) return;
    const fault = this.faults.take(provider, endpoint, (k) => k === 'omit_refresh_token');
    if (fault === undefined) return;
    this.#keep.add(params.refresh_token);
    this.#strip.add(request);
  }

  /** For the token stores: true once for a refresh token whose refresh must not rotate it. */
  keepOnce(refreshToken: string): boolean {
    return this.#keep.delete(refreshToken);
  }

  /** The answer as sent, without the refresh token fields when this request was armed. */
  strip(request: FastifyRequest, payload: unknown): unknown {
    if (!this.#strip.has(request) || typeof payload !== 'string') return payload;
    const fields = ['refresh_token', 'refresh_token_expires_in'];
    try {
      const body = JSON.parse(payload) as Record<string, unknown>;
      for (const f of fields) delete body[f];
      return JSON.stringify(body);
    } catch {
      // GitHub's default answer is form-encoded.
      const form = new URLSearchParams(payload);
      for (const f of fields) form.delete(f);
      return form.toString();
    }
  }

  reset(): void {
    this.#keep = new Set();
  }
}
