import { catalog } from '@plugboard/providers';
import type { ServerEnv } from './env';

/**
 * In mock mode the mock providers must accept this server's redirect URIs, whatever PORT or
 * PUBLIC_URL it runs on. On start the server asks the mock, through its control API
 * (`POST /__control/clients/ensure`, see mocks/providers/README.md), to add
 * `$PUBLIC_URL/oauth/callback/<id>` (and `$WEB_URL/…` when the Connect UI is served elsewhere,
 * as under `pnpm dev`) to each of its dev clients. That call is idempotent, so restarts are
 * harmless. The mock may start after the server (`pnpm dev` starts both at once): unreachable →
 * retried with bounded backoff, then one warning; never fatal. Live-mode providers are never
 * sent to the mock.
 */

export interface MockClientsLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export type MockClientsResult =
  | { status: 'skipped' }
  | { status: 'registered'; providers: string[]; refused: string[] }
  | { status: 'unreachable'; attempts: number }
  | { status: 'aborted' };

/** About 30 s in all: long enough for a mock started by the same `pnpm dev`. */
export const MOCK_CLIENTS_RETRY_DELAYS_MS = [250, 500, 1000, 2000, 4000, 8000, 8000, 8000];
const REQUEST_TIMEOUT_MS = 3000;

interface ClientToEnsure {
  provider: string;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** The dev clients this server uses at the mock: OAuth providers in mock mode only. */
export function mockClientsFor(env: ServerEnv): ClientToEnsure[] {
  const origins = [...new Set([env.publicUrl, env.webUrl])];
  return catalog
    .filter((entry) => entry.authMode === 'oauth2' && !('comingSoon' in entry))
    .filter((entry) => env.integrations[entry.id].mode === 'mock')
    .map((entry) => {
      const { clientId, clientSecret } = env.integrations[entry.id];
      return {
        provider: entry.id,
        clientId,
        clientSecret,
        redirectUris: origins.map((origin) => `${origin}/oauth/callback/${entry.id}`),
      };
    });
}

class Unreachable extends Error {}

async function ensureAll(
  env: ServerEnv,
  clients: ClientToEnsure[],
  signal: AbortSignal | undefined,
): Promise<{ providers: string[]; refused: { provider: string; status: number }[] }> {
  const providers: string[] = [];
  const refused: { provider: string; status: number }[] = [];
  for (const client of clients) {
    let response: Response;
    try {
      const timeout = AbortSignal.timeout(REQUEST_TIMEOUT_MS);
      response = await fetch(`${env.mockProvidersUrl}/__control/clients/ensure`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(client),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      await response.arrayBuffer();
    } catch {
      throw new Unreachable();
    }
    if (response.ok) providers.push(client.provider);
    else refused.push({ provider: client.provider, status: response.status });
  }
  return { providers, refused };
}

const sleep = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

export async function registerMockRedirectUris(opts: {
  env: ServerEnv;
  log: MockClientsLog;
  signal?: AbortSignal;
  retryDelaysMs?: readonly number[];
}): Promise<MockClientsResult> {
  const { env, log, signal } = opts;
  const clients = mockClientsFor(env);
  if (clients.length === 0) return { status: 'skipped' };
  const delays = opts.retryDelaysMs ?? MOCK_CLIENTS_RETRY_DELAYS_MS;
  const mock = env.mockProvidersUrl;
  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) return { status: 'aborted' };
    try {
      const { providers, refused } = await ensureAll(env, clients, signal);
      log.info(
        { mock, providers: providers.length, redirectUris: clients[0]!.redirectUris.length },
        `mock providers: this server's redirect URIs are registered (${env.publicUrl}/oauth/callback/<provider>)`,
      );
      for (const r of refused) {
        log.warn(
          { mock, provider: r.provider, status: r.status },
          `mock providers refused to register the ${r.provider} dev client's redirect URI: its flow will fail with "invalid redirect_uri" until this is fixed (HTTP ${r.status})`,
        );
      }
      return { status: 'registered', providers, refused: refused.map((r) => r.provider) };
    } catch (error) {
      if (!(error instanceof Unreachable)) throw error;
      if (signal?.aborted) return { status: 'aborted' };
      const delay = delays[attempt - 1];
      if (delay === undefined) {
        log.warn(
          { mock, attempts: attempt },
          `mock providers unreachable at ${mock}: OAuth flows in mock mode will fail with "invalid redirect_uri" unless this server runs on http://localhost:3000. Start the mock (pnpm --filter @plugboard/mock-providers start) and restart the server, or set MOCK_PROVIDERS_URL.`,
        );
        return { status: 'unreachable', attempts: attempt };
      }
      if (attempt === 1) {
        log.info({ mock }, `waiting for the mock providers at ${mock} to register redirect URIs`);
      }
      await sleep(delay, signal);
    }
  }
}
