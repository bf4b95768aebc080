import { readFileSync } from 'node:fs';
import { safeEqual } from './oauth';

/** An OAuth client (an "app") registered with one provider. Mock-only values, never real ones. */
export interface RegisteredClient {
  clientId: string;
  clientSecret: string;
  /** Matched exactly, character for character, like the real providers do. */
  redirectUris: string[];
  /** Shown on consent pages ("Plugboard (dev) wants to…"); defaults to the client id. */
  name: string;
}

export type ClientsByProvider = ReadonlyMap<string, readonly RegisteredClient[]>;

export class ClientConfigError extends Error {
  override name = 'ClientConfigError';
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/** Validates one client entry, from the clients file or from `POST /__control/clients`. */
export function parseClient(value: unknown, where: string): RegisteredClient {
  if (typeof value !== 'object' || value === null) {
    throw new ClientConfigError(`${where}: a client must be an object.`);
  }
  const entry = value as Record<string, unknown>;
  const { clientId, clientSecret, redirectUris, name } = entry;
  if (typeof clientId !== 'string' || clientId === '') {
    throw new ClientConfigError(`${where}: "clientId" must be a non-empty string.`);
  }
  if (typeof clientSecret !== 'string' || clientSecret === '') {
    throw new ClientConfigError(`${where}: "clientSecret" must be a non-empty string.`);
  }
  if (!isStringArray(redirectUris)) {
    throw new ClientConfigError(`${where}: "redirectUris" must be an array of strings.`);
  }
  if (name !== undefined && typeof name !== 'string') {
    throw new ClientConfigError(`${where}: "name" must be a string when present.`);
  }
  return { clientId, clientSecret, redirectUris: [...redirectUris], name: name ?? clientId };
}

/**
 * Reads the clients file: `{ "<provider id>": [client, …] }`. Keys starting with `$` are
 * comments. Providers without a personality yet are kept, so the file can be filled ahead.
 */
export function loadClientsFile(path: string): ClientsByProvider {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ClientConfigError(`Cannot read the clients file ${path}: ${String(error)}`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ClientConfigError(`${path}: expected an object keyed by provider id.`);
  }
  const byProvider = new Map<string, RegisteredClient[]>();
  for (const [provider, clients] of Object.entries(raw)) {
    if (provider.startsWith('$')) continue;
    if (!Array.isArray(clients)) {
      throw new ClientConfigError(`${path}: "${provider}" must be an array of clients.`);
    }
    byProvider.set(
      provider,
      clients.map((c, i) => parseClient(c, `${path} ${provider}[${i}]`)),
    );
  }
  return byProvider;
}

/** Where the dev server and Vite's dev server receive OAuth callbacks. */
const DEV_ORIGINS = ['http://localhost:3000', 'http://localhost:5173'];

/**
 * The development clients: one per personality with an OAuth consent screen, all by one
 * convention — client id `plugboard-dev-<id>`, secret `mock-secret-<id>-dev`, redirect URIs
 * `http://localhost:{3000,5173}/oauth/callback/<id>`. Plugboard's server uses the same
 * convention for providers in mock mode (apps/server/src/env.ts); the mock derives it on its own
 * rather than importing it, like everything else here. Mock-only values, never real secrets.
 */
export function devClients(
  personalities: readonly { id: string; endpoints: readonly string[] }[],
): ClientsByProvider {
  return new Map(
    personalities
      .filter((p) => p.endpoints.includes('authorize'))
      .map((p) => [
        p.id,
        [
          {
            clientId: `plugboard-dev-${p.id}`,
            clientSecret: `mock-secret-${p.id}-dev`,
            name: 'Plugboard (dev)',
            redirectUris: DEV_ORIGINS.map((origin) => `${origin}/oauth/callback/${p.id}`),
          },
        ],
      ]),
  );
}

/** Clients currently registered, per provider; `reset()` returns to the defaults. */
export class ClientRegistry {
  readonly #defaults: ClientsByProvider;
  #clients = new Map<string, Map<string, RegisteredClient>>();

  constructor(defaults: ClientsByProvider) {
    this.#defaults = defaults;
    this.reset();
  }

  find(provider: string, clientId: string): RegisteredClient | undefined {
    return this.#clients.get(provider)?.get(clientId);
  }

  /**
   * The client whose secret this is, for providers that authenticate the app by its secret alone
   * (Stripe's platform secret key, sent without a client id).
   */
  findBySecret(provider: string, clientSecret: string): RegisteredClient | undefined {
    const clients = this.#clients.get(provider)?.values() ?? [];
    return [...clients].find((client) => safeEqual(client.clientSecret, clientSecret));
  }

  /** Registers a client, replacing any client with the same id at that provider. */
  register(provider: string, client: RegisteredClient): void {
    let clients = this.#clients.get(provider);
    if (clients === undefined) {
      clients = new Map();
      this.#clients.set(provider, clients);
    }
    clients.set(client.clientId, client);
  }

  /**
   * Makes sure a client exists with these redirect URIs, for a server that registers its own
   * callbacks on start: creates it if absent, otherwise adds the URIs it lacks (never removes one,
   * never changes the name). Idempotent. A known client id with another secret is refused
   * (`secret_mismatch`, nothing changed): ensuring never rewrites credentials.
   */
  ensure(
    provider: string,
    client: RegisteredClient,
  ):
    | { ok: true; client: RegisteredClient; added: string[] }
    | { ok: false; reason: 'secret_mismatch' } {
    const existing = this.find(provider, client.clientId);
    if (existing === undefined) {
      this.register(provider, client);
      return { ok: true, client, added: [...client.redirectUris] };
    }
    if (!safeEqual(existing.clientSecret, client.clientSecret)) {
      return { ok: false, reason: 'secret_mismatch' };
    }
    const added = client.redirectUris.filter((uri, i, all) => {
      return !existing.redirectUris.includes(uri) && all.indexOf(uri) === i;
    });
    const updated = { ...existing, redirectUris: [...existing.redirectUris, ...added] };
    this.register(provider, updated);
    return { ok: true, client: updated, added };
  }

  reset(): void {
    this.#clients = new Map();
    for (const [provider, clients] of this.#defaults) {
      for (const client of clients) this.register(provider, client);
    }
  }
}
