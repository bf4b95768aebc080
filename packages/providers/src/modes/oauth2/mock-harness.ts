/**
 * Drives the oauth2 mode against the real mock provider server (mocks/providers), the way core
 * does it, without the rest of Plugboard: a client registered through the mock's control API,
 * the authorization URL the engine builds, the consent page's Allow pressed as the form submits
 * it, the callback checked, the code exchanged and the account identified. For the suites that
 * run every OAuth provider through the same steps (conformance.integration.test.ts). Not a test
 * file itself.
 */
import { startMockProviders } from '@plugboard/mock-providers';
import { createHash, randomBytes } from 'node:crypto';
import { catalog } from '../../catalog';
import { buildAuthorizationUrl, resolveEndpoint } from '../../engines/oauth2';
import { ProviderHttp } from '../../http';
import type { Account, IntegrationConfig, OAuth2Provider } from '../../types';
import type { ModeCallContext, OAuth2Credentials } from '../types';
import { oauth2Mode } from '.';

/** Every connectable OAuth provider of the catalog: a new folder joins the suites by itself. */
export const oauthProviders: readonly OAuth2Provider[] = catalog.filter(
  (p): p is OAuth2Provider => p.authMode === 'oauth2' && !('comingSoon' in p),
);

/** What a provider's form asks a person for, typed the way a person would (Shopify's shop). */
export const sampleInputs: Record<string, string> = { shop: 'acme-store' };

export const redirectUriOf = (id: string) => `http://plugboard.test/oauth/callback/${id}`;

export interface Connected {
  provider: OAuth2Provider;
  config: IntegrationConfig;
  inputs: Record<string, string>;
  authorizationUrl: URL;
  credentials: OAuth2Credentials;
  account: Account;
  /** What the mode needs for refresh and revoke of this connection. */
  ctx: ModeCallContext;
}

export interface ConnectOptions {
  /** Another client id than the provider's default test client (a GitHub App's `Iv…`). */
  clientId?: string;
  /** Authorize parameters to add (or, with `undefined`, to drop) before the consent. */
  tamper?: Record<string, string | undefined>;
  /** The integration's scopes instead of the provider's default ones. */
  scopes?: readonly string[];
  /** The secret Plugboard sends instead of the registered one (a misconfigured integration). */
  wrongSecret?: boolean;
  /** Runs after the client is registered, before the flow (mark it a GitHub App, say). */
  before?: (config: IntegrationConfig) => Promise<unknown>;
  /** Plugboard's time (default: the time of day), when the test moved the mock's clock. */
  now?: Date;
}

export interface MockHarness {
  url: string;
  http: ProviderHttp;
  control(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response>;
  config(provider: OAuth2Provider, clientId?: string): IntegrationConfig;
  /** Registers the test client at the mock (again after a reset). */
  register(provider: OAuth2Provider, clientId?: string): Promise<void>;
  /** Consent (Allow) and the callback's query, for the authorization URL given. */
  consent(authorizationUrl: string): Promise<{ status: number; query: Record<string, string> }>;
  connect(provider: OAuth2Provider, opts?: ConnectOptions): Promise<Connected>;
  fault(provider: OAuth2Provider, kind: string, endpoint?: string, extra?: object): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const decodeHtml = (s: string) =>
  s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

export async function startMockHarness(): Promise<MockHarness> {
  const mock = await startMockProviders({ port: 0 });
  const http = new ProviderHttp({ timeoutMs: 5000 });
  const control = (method: 'GET' | 'POST', path: string, body?: unknown) =>
    fetch(`${mock.url}/__control${path}`, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
  const ok = async (res: Promise<Response>) => {
    const r = await res;
    if (!r.ok) throw new Error(`mock control call failed: HTTP ${r.status} ${await r.text()}`);
  };
  const config = (provider: OAuth2Provider, clientId = `conformance-${provider.id}`) => ({
    providerId: provider.id,
    mode: 'mock' as const,
    clientId,
    clientSecret: `conformance-secret-${provider.id}`,
    baseUrl: `${mock.url}${provider.mockBasePath ?? `/${provider.id}`}`,
  });
  const register = (provider: OAuth2Provider, clientId?: string) => {
    const c = config(provider, clientId);
    return ok(
      control('POST', '/clients', {
        provider: provider.id,
        clientId: c.clientId,
        clientSecret: c.clientSecret,
        redirectUris: [redirectUriOf(provider.id)],
      }),
    );
  };

  async function consent(authorizationUrl: string) {
    const page = await fetch(authorizationUrl, { redirect: 'manual' });
    const html = await page.text();
    const form = /<form[^>]*method="post"[^>]*action="([^"]*)"/i.exec(html);
    if (!form) {
      // A refusal: a redirect with an error, or the provider's error page.
      const location = page.headers.get('location');
      return {
        status: page.status,
        query: location ? Object.fromEntries(new URL(location).searchParams) : {},
      };
    }
    const fields = new URLSearchParams();
    for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)) {
      fields.set(m[1]!, decodeHtml(m[2]!));
    }
    fields.set('decision', 'allow');
    const res = await fetch(new URL(decodeHtml(form[1]!), authorizationUrl), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: fields.toString(),
    });
    const location = res.headers.get('location');
    if (!location) throw new Error(`consent did not redirect (HTTP ${res.status})`);
    return { status: res.status, query: Object.fromEntries(new URL(location).searchParams) };
  }

  async function connect(provider: OAuth2Provider, opts: ConnectOptions = {}): Promise<Connected> {
    await register(provider, opts.clientId);
    const base = config(provider, opts.clientId);
    const registered = opts.scopes ? { ...base, scopes: opts.scopes } : base;
    const cfg = opts.wrongSecret ? { ...registered, clientSecret: 'not-the-secret' } : registered;
    await opts.before?.(cfg);
    const inputs = provider.normalizeInputs?.(sampleInputs) ?? {};
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const state = randomBytes(16).toString('base64url');
    const redirectUri = redirectUriOf(provider.id);
    const authorizationUrl = new URL(
      buildAuthorizationUrl(provider, cfg, {
        redirectUri,
        state,
        codeChallenge: provider.pkce ? challenge : null,
        inputs,
      }),
    );
    for (const [k, v] of Object.entries(opts.tamper ?? {})) {
      if (v === undefined) authorizationUrl.searchParams.delete(k);
      else authorizationUrl.searchParams.set(k, v);
    }
    const { query } = await consent(authorizationUrl.toString());
    if (query.state !== state || query.code === undefined) {
      throw new Error(`${provider.id}: no code came back (${query.error ?? 'no error'})`);
    }
    const now = opts.now ?? new Date();
    provider.verifyCallback?.(query, { config: cfg, inputs, now });
    const tokens = await oauth2Mode.exchange(
      provider,
      { http, config: cfg, inputs },
      {
        code: query.code,
        redirectUri,
        codeVerifier: provider.pkce ? verifier : null,
        tokenUrl: resolveEndpoint(provider.endpoints.token, cfg, inputs),
        now,
      },
    );
    const account = await oauth2Mode.identity(provider, tokens, {
      http,
      config: cfg,
      inputs,
      now,
    });
    return {
      provider,
      config: cfg,
      inputs,
      authorizationUrl,
      credentials: oauth2Mode.credentials(tokens),
      account,
      ctx: { http, config: cfg, metadata: account.metadata, now },
    };
  }

  return {
    url: mock.url,
    http,
    control,
    config,
    register,
    consent,
    connect,
    fault: (provider, kind, endpoint = 'token', extra = {}) =>
      ok(control('POST', '/faults', { provider: provider.id, endpoint, kind, ...extra })),
    reset: () => ok(control('POST', '/reset')),
    close: () => mock.close(),
  };
}
