/**
 * Helpers shared by the generic personalities' tests (not a test file): the test mock with a
 * client registered under one naming pattern, authorize URLs with the provider's defaults, and
 * consent click-through validated by oauth4webapi.
 */
import * as oauth from 'oauth4webapi';
import { allowConsent, basicAuth, urlWithParams, useTestMock } from '../testing/harness';

export interface FlowConfig {
  provider: string;
  authorizePath: string;
  tokenPath: string;
  /** Authorize parameters every request sends (response_type, scope, …). */
  defaults: Record<string, string>;
}

/** Installs the test mock's hooks (see `useTestMock`): call it at the top of the test file. */
export function genericFlow(cfg: FlowConfig) {
  const clientId = `test-${cfg.provider}`;
  const clientSecret = `test-${cfg.provider}-secret`;
  const redirectUri = `http://app.test/oauth/callback/${cfg.provider}`;
  const mock = useTestMock({
    provider: cfg.provider,
    clientId,
    clientSecret,
    name: 'Plugboard test',
    redirectUris: [redirectUri],
  });
  const base = () => `${mock.url}/${cfg.provider}`;
  const as = (extra: Partial<oauth.AuthorizationServer> = {}): oauth.AuthorizationServer => ({
    issuer: base(),
    authorization_endpoint: `${base()}${cfg.authorizePath}`,
    token_endpoint: `${base()}${cfg.tokenPath}`,
    ...extra,
  });
  const client: oauth.Client = { client_id: clientId };

  function authorizeUrl(params: Record<string, string | undefined> = {}): string {
    return urlWithParams(`${base()}${cfg.authorizePath}`, {
      client_id: clientId,
      redirect_uri: redirectUri,
      state: 'state-123',
      ...cfg.defaults,
      ...params,
    });
  }

  return {
    mock,
    clientId,
    clientSecret,
    redirectUri,
    base,
    as,
    client,
    authorizeUrl,
    basic: (secret = clientSecret) => basicAuth(clientId, secret),
    /** Authorize + Allow → the callback parameters, validated by oauth4webapi. */
    authorize(params: Record<string, string | undefined> = {}): Promise<URLSearchParams> {
      return allowConsent(authorizeUrl(params), as(), client);
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
