/**
 * Helpers shared by the generic personalities' tests (not a test file): register a client,
 * build authorize URLs, click through consent and validate the callback with oauth4webapi.
 */
import * as oauth from 'oauth4webapi';
import { expect } from 'vitest';
import type { TestMock } from '../testing/harness';
import { submitConsent } from '../testing/harness';

export const insecure = { [oauth.allowInsecureRequests]: true } as const;

export interface FlowConfig {
  provider: string;
  authorizePath: string;
  tokenPath: string;
  /** Authorize parameters every request sends (response_type, scope, …). */
  defaults: Record<string, string>;
}

export function genericFlow(mock: () => TestMock, cfg: FlowConfig) {
  const clientId = `test-${cfg.provider}`;
  const clientSecret = `test-${cfg.provider}-secret`;
  const redirectUri = `http://app.test/oauth/callback/${cfg.provider}`;
  const base = () => `${mock().url}/${cfg.provider}`;
  const as = (extra: Partial<oauth.AuthorizationServer> = {}): oauth.AuthorizationServer => ({
    issuer: base(),
    authorization_endpoint: `${base()}${cfg.authorizePath}`,
    token_endpoint: `${base()}${cfg.tokenPath}`,
    ...extra,
  });
  const client: oauth.Client = { client_id: clientId };

  function authorizeUrl(params: Record<string, string | undefined> = {}): string {
    const url = new URL(`${base()}${cfg.authorizePath}`);
    const all: Record<string, string | undefined> = {
      client_id: clientId,
      redirect_uri: redirectUri,
      state: 'state-123',
      ...cfg.defaults,
      ...params,
    };
    for (const [key, value] of Object.entries(all)) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return url.toString();
  }

  return {
    clientId,
    clientSecret,
    redirectUri,
    base,
    as,
    client,
    authorizeUrl,
    basic: (secret = clientSecret) =>
      `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`,
    async register(): Promise<void> {
      await mock().control.reset();
      await mock().control.registerClient({
        provider: cfg.provider,
        clientId,
        clientSecret,
        name: 'Plugboard test',
        redirectUris: [redirectUri],
      });
    },
    /** Authorize + Allow → the callback parameters, validated by oauth4webapi. */
    async authorize(params: Record<string, string | undefined> = {}): Promise<URLSearchParams> {
      const consent = await submitConsent(authorizeUrl(params), 'Allow');
      expect(consent.status).toBe(302);
      return oauth.validateAuthResponse(as(), client, new URL(consent.location ?? ''), 'state-123');
    },
    /** Authorize with a fresh PKCE S256 challenge. */
    async authorizeWithPkce(params: Record<string, string | undefined> = {}) {
      const verifier = oauth.generateRandomCodeVerifier();
      const challenge = await oauth.calculatePKCECodeChallenge(verifier);
      const callback = await this.authorize({
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...params,
      });
      return { callback, verifier };
    },
    postForm(path: string, body: Record<string, string>, headers: Record<string, string> = {}) {
      return fetch(`${base()}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams(body).toString(),
      });
    },
  };
}
