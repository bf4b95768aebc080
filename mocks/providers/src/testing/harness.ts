/**
 * Test helpers for personality tests: a mock on a random port with the hooks around it, a typed
 * control-API client, a consent-page driver that submits the form the way a browser would, and
 * the small oauth4webapi pieces every OAuth test needs. Not a test file itself.
 */
import * as oauth from 'oauth4webapi';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import type { RequestLogEntry } from '../core/request-log';
import { startMockProviders } from '../index';

export interface TestMock {
  url: string;
  control: ControlClient;
  close(): Promise<void>;
}

export async function startTestMock(): Promise<TestMock> {
  const mock = await startMockProviders({ port: 0 });
  return { url: mock.url, control: new ControlClient(mock.url), close: () => mock.close() };
}

/** A client a test registers through the control API (its own id, secret and callback). */
export interface TestClient {
  provider: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  name?: string;
}

/**
 * One mock per test file, started in `beforeAll` and closed in `afterAll`; before each test a
 * reset and (if given) `client` registered again, so every test starts from the same state
 * whatever the previous one changed. Call it at the top of the file, before other hooks, so they
 * run after the reset.
 *
 * The result is a live view of the running mock rather than the mock itself: helpers defined at
 * module level can read `mock.url` although the mock only starts in `beforeAll`.
 */
export function useTestMock(client?: TestClient): TestMock {
  let started: TestMock | undefined;
  const current = (): TestMock => {
    if (started === undefined) throw new Error('The test mock runs only inside tests and hooks.');
    return started;
  };
  beforeAll(async () => {
    started = await startTestMock();
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(async () => {
    await current().control.reset();
    if (client !== undefined) await current().control.registerClient(client);
  });
  return {
    get url() {
      return current().url;
    },
    get control() {
      return current().control;
    },
    close: () => current().close(),
  };
}

export interface FlowConfig {
  provider: string;
  authorizePath: string;
  tokenPath: string;
  /** Authorize parameters every request sends (response_type, scope, …). */
  defaults?: Record<string, string>;
  /** Default `test-<provider>` and `test-<provider>-secret`. */
  clientId?: string;
  clientSecret?: string;
  /** Registered besides `http://app.test/oauth/callback/<provider>`. */
  otherRedirectUris?: string[];
  /** More authorization-server endpoints for oauth4webapi, as paths below the provider prefix. */
  endpoints?: Partial<
    Record<'revocation_endpoint' | 'introspection_endpoint' | 'jwks_uri', string>
  >;
}

/**
 * The set-up every OAuth personality test shares: the test mock (see `useTestMock`) with one
 * client registered, oauth4webapi's view of the provider, authorize URLs with the provider's
 * defaults, and consent click-through validated by oauth4webapi. Call it at the top of the file.
 */
export function useOAuthFlow(cfg: FlowConfig) {
  const clientId = cfg.clientId ?? `test-${cfg.provider}`;
  const clientSecret = cfg.clientSecret ?? `test-${cfg.provider}-secret`;
  const redirectUri = `http://app.test/oauth/callback/${cfg.provider}`;
  const mock = useTestMock({
    provider: cfg.provider,
    clientId,
    clientSecret,
    name: 'Plugboard test',
    redirectUris: [redirectUri, ...(cfg.otherRedirectUris ?? [])],
  });
  const base = () => `${mock.url}/${cfg.provider}`;
  const as = (extra: Partial<oauth.AuthorizationServer> = {}): oauth.AuthorizationServer => ({
    issuer: base(),
    authorization_endpoint: `${base()}${cfg.authorizePath}`,
    token_endpoint: `${base()}${cfg.tokenPath}`,
    ...Object.fromEntries(
      Object.entries(cfg.endpoints ?? {}).map(([name, path]) => [name, `${base()}${path}`]),
    ),
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

  /** Authorize + Allow → the callback parameters, validated by oauth4webapi. */
  const authorize = (params: Record<string, string | undefined> = {}): Promise<URLSearchParams> =>
    allowConsent(authorizeUrl(params), as(), client);

  interface GrantOptions {
    /** Default HTTP Basic with the test client's secret. */
    auth?: oauth.ClientAuth;
    redirectUri?: string;
    verifier?: string | typeof oauth.nopkce;
  }
  /** The code exchange as oauth4webapi sends it; the raw response. */
  const codeGrant = (callback: URLSearchParams, opts: GrantOptions = {}): Promise<Response> =>
    oauth.authorizationCodeGrantRequest(
      as(),
      client,
      opts.auth ?? oauth.ClientSecretBasic(clientSecret),
      callback,
      opts.redirectUri ?? redirectUri,
      opts.verifier ?? oauth.nopkce,
      insecure,
    );

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
    authorize,
    /** Registers another client of this provider (by default with the test redirect URI). */
    registerClient: (id: string, secret: string, redirectUris = [redirectUri]) =>
      mock.control.registerClient({
        provider: cfg.provider,
        clientId: id,
        clientSecret: secret,
        redirectUris,
      }),
    /** Authorize with a fresh PKCE S256 challenge. */
    async authorizeWithPkce(params: Record<string, string | undefined> = {}) {
      const verifier = oauth.generateRandomCodeVerifier();
      const challenge = await oauth.calculatePKCECodeChallenge(verifier);
      const callback = await authorize({
        code_challenge: challenge,
        code_challenge_method: 'S256',
        ...params,
      });
      return { callback, verifier };
    },
    codeGrant,
    /** `grant_type=refresh_token`, processed by oauth4webapi. */
    async refresh(
      refreshToken: string,
      auth: oauth.ClientAuth = oauth.ClientSecretBasic(clientSecret),
    ) {
      return oauth.processRefreshTokenResponse(
        as(),
        client,
        await oauth.refreshTokenGrantRequest(as(), client, auth, refreshToken, insecure),
      );
    },
    /** The code exchange, processed by oauth4webapi (which throws on an error answer). */
    async exchange(callback: URLSearchParams, opts: GrantOptions = {}) {
      return oauth.processAuthorizationCodeResponse(as(), client, await codeGrant(callback, opts));
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

/** Expects `response`'s status and a JSON body with (at least) the fields of `body`. */
export async function expectJson(response: Response, status: number, body: unknown): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toMatchObject(body as object);
}

/** Expects `response`'s status and a JSON body equal to `body`. */
export async function expectJsonEqual(
  response: Response,
  status: number,
  body: unknown,
): Promise<void> {
  expect(response.status).toBe(status);
  expect(await response.json()).toEqual(body);
}

/** A form POST, with an `Authorization` header when one is given. */
export function postForm(
  url: string | URL,
  body: Record<string, string>,
  authorization?: string | null,
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization == null ? {} : { authorization }),
    },
    body: new URLSearchParams(body).toString(),
  });
}

/**
 * The authorize requests every provider must answer with an error page and never a redirect, as
 * RFC 6749 §4.1.2.1 says (https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1): an unknown
 * or missing client, a redirect URI not registered or differing by a trailing slash.
 */
export function untrustedAuthorizeCases(
  redirectUri: string,
  unknownClientId = 'nobody',
): Array<[string, Record<string, string | undefined>]> {
  return [
    ['an unknown client', { client_id: unknownClientId }],
    ['a missing client', { client_id: undefined }],
    ['an unregistered redirect URI', { redirect_uri: 'http://evil.test/callback' }],
    ['a redirect URI that differs by a slash', { redirect_uri: `${redirectUri}/` }],
  ];
}

/** Opens `authorizeUrl` and expects an error page: `status`, no `Location`. The response. */
export async function expectErrorPage(authorizeUrl: string, status = 400): Promise<Response> {
  const response = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(response.status).toBe(status);
  expect(response.headers.get('location')).toBeNull();
  return response;
}

/** oauth4webapi refuses http:// endpoints unless told; the mock listens on plain http. */
export const insecure = { [oauth.allowInsecureRequests]: true } as const;

/** `Authorization: Basic` as RFC 6749 §2.3.1 clients send it (ids and secrets here need no form-encoding). */
export function basicAuth(clientId: string, clientSecret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`;
}

/** `base` with `params` as its query; undefined values are left out, so a test can drop a default. */
export function urlWithParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(key, value);
  }
  return url.toString();
}

/**
 * Opens `authorizeUrl`, clicks Allow, and returns the callback parameters as oauth4webapi
 * validated them; `state` defaults to `state-123`, what the tests' authorize URLs send.
 */
export async function allowConsent(
  authorizeUrl: string,
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  state = 'state-123',
): Promise<URLSearchParams> {
  const consent = await submitConsent(authorizeUrl, 'Allow');
  expect(consent.status).toBe(302);
  return oauth.validateAuthResponse(as, client, new URL(consent.location ?? ''), state);
}

export class ControlClient {
  readonly #url: string;

  constructor(url: string) {
    this.#url = url;
  }

  async call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.#url}/__control${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  }

  async #ok(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const response = await this.call(method, path, body);
    if (!response.ok) {
      throw new Error(`${method} /__control${path} → ${response.status}: ${await response.text()}`);
    }
    return response.json();
  }

  async requests(filter: { provider?: string; endpoint?: string } = {}) {
    const query = new URLSearchParams(filter).toString();
    const result = (await this.#ok('GET', `/requests${query ? `?${query}` : ''}`)) as {
      requests: RequestLogEntry[];
    };
    return result.requests;
  }

  async fault(fault: {
    provider: string;
    endpoint: string;
    kind: 'error_500' | 'timeout' | 'rate_limit' | 'invalid_grant' | 'omit_refresh_token';
    count?: number;
    retryAfterSeconds?: number;
  }): Promise<void> {
    await this.#ok('POST', '/faults', fault);
  }

  async advanceClock(seconds: number): Promise<void> {
    await this.#ok('POST', '/clock/advance', { seconds });
  }

  async registerClient(client: {
    provider: string;
    clientId: string;
    clientSecret: string;
    redirectUris: string[];
    name?: string;
  }): Promise<void> {
    await this.#ok('POST', '/clients', client);
  }

  async setAccount(provider: string, account: Record<string, unknown>): Promise<void> {
    await this.#ok('POST', '/accounts', { provider, account });
  }

  async reset(): Promise<void> {
    await this.#ok('POST', '/reset');
  }
}

export interface ConsentResult {
  /** Status of the consent form submission (302 when it redirects back to the app). */
  status: number;
  location: string | null;
}

function attribute(tag: string, name: string): string | undefined {
  return new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];
}

function unescapeHtml(value: string): string {
  return value
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/**
 * Opens the authorize URL, then clicks the button labelled `button` on the consent page: posts
 * the form's hidden fields plus that button's name/value to the form's action, like a browser.
 */
export async function submitConsent(
  authorizeUrl: string,
  button: 'Allow' | 'Deny',
): Promise<ConsentResult> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  const html = await page.text();
  if (page.status !== 200) {
    throw new Error(`Authorize answered ${page.status}, not a consent page: ${html.slice(0, 300)}`);
  }
  const formTag = /<form\b[^>]*>/.exec(html)?.[0];
  const action = formTag && attribute(formTag, 'action');
  if (action === undefined) throw new Error('No form with an action on the consent page.');
  const fields = new URLSearchParams();
  for (const [input] of html.matchAll(/<input\b[^>]*type="hidden"[^>]*>/g)) {
    const name = attribute(input, 'name');
    if (name !== undefined) fields.append(name, unescapeHtml(attribute(input, 'value') ?? ''));
  }
  const clicked = [...html.matchAll(/<button\b([^>]*)>([^<]*)<\/button>/g)].find(
    (m) => m[2]?.trim() === button,
  );
  if (clicked === undefined) throw new Error(`No "${button}" button on the consent page.`);
  const name = attribute(` ${clicked[1] ?? ''}`, 'name');
  if (name !== undefined) fields.append(name, attribute(` ${clicked[1] ?? ''}`, 'value') ?? '');

  const response = await fetch(new URL(unescapeHtml(action), authorizeUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: fields.toString(),
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location') };
}
