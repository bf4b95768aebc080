import { createHash } from 'node:crypto';
import { OAuth2Issuer } from 'oauth2-mock-server';
import type { JWK } from 'oauth2-mock-server';
import type { MockClock } from './clock';

/**
 * A provider's signing identity, on oauth2-mock-server's issuer and key store: RS256 keys it
 * generates, JWTs it signs (`buildToken`), and the JWK Set a personality serves at the
 * provider's real JWKS path. Only the issuer is used, not its HTTP service: that service accepts
 * any client and any code, and the personalities must be stricter than that.
 */
export class ProviderIssuer {
  readonly #issuer: OAuth2Issuer;
  readonly #clock: MockClock;

  private constructor(issuer: OAuth2Issuer, clock: MockClock) {
    this.#issuer = issuer;
    this.#clock = clock;
  }

  static async create(url: string, clock: MockClock): Promise<ProviderIssuer> {
    const issuer = new OAuth2Issuer();
    issuer.url = url;
    await issuer.keys.generate('RS256');
    return new ProviderIssuer(issuer, clock);
  }

  get url(): string {
    // Set in create(); the getter is typed optional because the library allows unsetting it.
    return this.#issuer.url ?? '';
  }

  /**
   * Signs `claims` (`iss` defaults to this issuer). Timestamps come from the mock clock rather
   * than the library's `Date.now()`, so advancing the clock ages JWTs like everything else.
   */
  async sign(claims: Record<string, unknown>, opts: { expiresInSeconds?: number } = {}) {
    const now = this.#clock.nowSeconds();
    const expiresIn = opts.expiresInSeconds ?? 3600;
    return this.#issuer.buildToken({
      expiresIn,
      scopesOrTransform: (_header, payload) => {
        payload.iat = now;
        payload.nbf = now;
        payload.exp = now + expiresIn;
        Object.assign(payload, claims);
      },
    });
  }

  /** The public JWK Set (no private fields), as served at a JWKS URL. */
  jwks(): { keys: JWK[] } {
    return { keys: this.#issuer.keys.toJSON(false) };
  }
}

/** OIDC `at_hash`: base64url of the left half of SHA-256(access token), for RS256 id_tokens. */
export const atHash = (accessToken: string): string =>
  createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
